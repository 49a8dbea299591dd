package io.wasmesh.controlplane.store.persist;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoader;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import com.hazelcast.map.MapStoreFactory;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the PostgreSQL store of each persisted map; the stores share one {@link PostgresPool},
 * opened when the first of them starts and closed when the last is destroyed, which Hazelcast does
 * to every map store when the member shuts down. A later member started from the same config opens
 * a new pool.
 */
final class PostgresStoreFactory implements MapStoreFactory<String, byte[]> {
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private PostgresPool pool;
    private int users;

    PostgresStoreFactory(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    @Override
    public MapLoader<String, byte[]> newMapStore(String mapName, Properties properties) {
        return new PooledStore(mapName);
    }

    synchronized boolean isPoolOpen() {
        return pool != null;
    }

    private synchronized PostgresPool acquire() {
        if (pool == null) {
            pool = PostgresPool.open(jdbcUrl, user, password);
        }
        users++;
        return pool;
    }

    private synchronized void release() {
        if (--users == 0) {
            pool.close();
            pool = null;
        }
    }

    /** A map's {@link JdbcMapStore} between Hazelcast's init and destroy of it. */
    private final class PooledStore implements MapStore<String, byte[]>, MapLoaderLifecycleSupport {
        private final String mapName;
        private final AtomicReference<JdbcMapStore> store = new AtomicReference<>();

        PooledStore(String mapName) {
            this.mapName = mapName;
        }

        @Override
        public void init(HazelcastInstance hz, Properties properties, String name) {
            store.set(new JdbcMapStore(acquire().dataSource(), mapName));
        }

        @Override
        public void destroy() {
            if (store.getAndSet(null) != null) {
                release();
            }
        }

        private JdbcMapStore store() {
            JdbcMapStore s = store.get();
            if (s == null) {
                throw new IllegalStateException("PostgreSQL store of " + mapName + " is closed");
            }
            return s;
        }

        @Override
        public byte[] load(String key) {
            return store().load(key);
        }

        @Override
        public Map<String, byte[]> loadAll(Collection<String> keys) {
            return store().loadAll(keys);
        }

        @Override
        public Iterable<String> loadAllKeys() {
            return store().loadAllKeys();
        }

        @Override
        public void store(String key, byte[] value) {
            store().store(key, value);
        }

        @Override
        public void storeAll(Map<String, byte[]> entries) {
            store().storeAll(entries);
        }

        @Override
        public void delete(String key) {
            store().delete(key);
        }

        @Override
        public void deleteAll(Collection<String> keys) {
            store().deleteAll(keys);
        }
    }
}

package io.wasmesh.controlplane.store.persist;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.map.MapStoreFactory;
import io.wasmesh.controlplane.store.MapNames;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a node keeps the persisted maps: nowhere, a data folder, or PostgreSQL. {@link #apply} puts
 * the choice into a member's Hazelcast config.
 */
public sealed interface Persistence
        permits Persistence.None, Persistence.LocalFiles, Persistence.Postgres {

    /** Nothing outlives the cluster (tests, throwaway nodes). */
    record None() implements Persistence {}

    /**
     * One directory per map under {@code dataDir}, one file per entry. Every member of a cluster
     * may use the same folder (a shared volume): each writes the keys it owns.
     */
    record LocalFiles(Path dataDir) implements Persistence {
        public LocalFiles {
            Objects.requireNonNull(dataDir, "dataDir");
        }
    }

    /** One table, {@code wasmesh_store}, in a PostgreSQL database, created if absent. */
    record Postgres(String jdbcUrl, String user, String password) implements Persistence {
        public Postgres {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(
                        "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): "
                                + jdbcUrl);
            }
        }

        @Override
        public String toString() {
            return "Postgres[jdbcUrl=" + jdbcUrl + ", user=" + user + "]"; // never the password
        }
    }

    static Persistence none() {
        return new None();
    }

    static Persistence files(Path dataDir) {
        return new LocalFiles(dataDir);
    }

    static Persistence postgres(String jdbcUrl, String user, String password) {
        return new Postgres(jdbcUrl, user, password);
    }

    /**
     * Configures every control-plane map of {@code hz}, keeping what else its config says: one
     * backup each; the {@link MapNames#PERSISTED} maps write-through ({@code put} returns once the
     * store has the entry) and loaded eagerly (the first {@code getMap} on a member returns once
     * the whole map is loaded); {@link MapNames#PROXIES} never stored. A PostgreSQL pool is opened
     * when a member started from {@code hz} first uses a map and closed when it shuts down.
     */
    static void apply(Config hz, Persistence persistence) {
        MapStoreFactory<String, byte[]> stores = storeFactory(persistence);
        for (String name : MapNames.PERSISTED) {
            MapConfig map = hz.getMapConfig(name).setBackupCount(1);
            MapStoreConfig store = map.getMapStoreConfig();
            if (stores == null) {
                store.setEnabled(false);
            } else {
                store.setEnabled(true)
                        .setFactoryImplementation(stores)
                        .setWriteDelaySeconds(0)
                        .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER);
            }
        }
        hz.getMapConfig(MapNames.PROXIES).setBackupCount(1).getMapStoreConfig().setEnabled(false);
    }

    private static MapStoreFactory<String, byte[]> storeFactory(Persistence persistence) {
        Objects.requireNonNull(persistence, "persistence");
        if (persistence instanceof LocalFiles files) {
            return (mapName, properties) -> FileMapStore.forMap(files.dataDir(), mapName);
        }
        if (persistence instanceof Postgres pg) {
            return new PostgresStoreFactory(pg.jdbcUrl(), pg.user(), pg.password());
        }
        return null;
    }
}

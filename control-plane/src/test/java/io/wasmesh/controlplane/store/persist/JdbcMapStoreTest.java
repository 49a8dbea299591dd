package io.wasmesh.controlplane.store.persist;

import static io.wasmesh.controlplane.store.persist.StoreSample.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.testing.PostgresServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class JdbcMapStoreTest {
    PostgresServer.Server server;
    String url;
    PostgresPool pool;
    JdbcMapStore tenants;

    @BeforeEach
    void openAFreshDatabase(PostgresServer.Server server) {
        this.server = server;
        url = server.newDatabase();
        pool = PostgresPool.open(url, server.user(), server.password());
        tenants = new JdbcMapStore(pool.dataSource(), MapNames.TENANTS);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void storesLoadsAndOverwrites() {
        tenants.store("acme", json("{\"revision\":1}"));
        tenants.store("acme", json("{\"revision\":2}"));

        assertThat(tenants.load("acme")).isEqualTo(json("{\"revision\":2}"));
        assertThat(tenants.load("globex")).isNull();
        assertThat(tenants.loadAllKeys()).containsExactly("acme");
    }

    @Test
    void mapsShareTheTableButNotTheirKeys() {
        JdbcMapStore domains = new JdbcMapStore(pool.dataSource(), MapNames.DOMAINS);
        tenants.store("acme", json("{\"name\":\"acme\"}"));
        domains.store("acme", json("\"acme\""));
        domains.delete("acme");

        assertThat(tenants.load("acme")).isEqualTo(json("{\"name\":\"acme\"}"));
        assertThat(domains.loadAllKeys()).isEmpty();
    }

    @Test
    void oddKeysAndLargeValuesRoundTrip() {
        byte[] module = new byte[4 * 1024 * 1024];
        new Random(1).nextBytes(module);
        List<String> keys = List.of("../../etc/passwd", "a:b/c", "日本語 😀", "", "x".repeat(5_000));
        keys.forEach(k -> tenants.store(k, module));

        keys.forEach(k -> assertThat(tenants.load(k)).as(k).isEqualTo(module));
        assertThat(tenants.loadAllKeys()).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void batchesStoreLoadAndDelete() {
        Map<String, byte[]> entries = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            entries.put("t" + i, json("{\"n\":" + i + "}"));
        }
        tenants.storeAll(entries);

        assertThat(tenants.loadAll(List.of("t1", "t2", "missing")))
                .containsOnlyKeys("t1", "t2")
                .hasEntrySatisfying("t2", v -> assertThat(v).isEqualTo(json("{\"n\":2}")));
        assertThat(tenants.loadAll(List.of())).isEmpty();

        List<String> doomed = new ArrayList<>(entries.keySet());
        doomed.remove("t7");
        tenants.deleteAll(doomed);
        assertThat(tenants.loadAllKeys()).containsExactly("t7");
    }

    @Test
    void aBatchIsOneTransaction() {
        tenants.store("before", json("{}"));
        Map<String, byte[]> batch = new HashMap<>();
        batch.put("a", json("{}"));
        batch.put("b", json("{}"));
        batch.put("z nul \u0000", json("{}")); // PostgreSQL text cannot hold NUL: this row fails

        assertThatThrownBy(() -> tenants.storeAll(batch))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("map " + MapNames.TENANTS)
                .hasMessageContaining("cannot store 3 keys");
        assertThat(tenants.loadAllKeys()).containsExactly("before");
    }

    @Test
    void concurrentWritersShareThePool() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<?>> writes = new ArrayList<>();
        try {
            for (int t = 0; t < 16; t++) {
                int writer = t;
                writes.add(
                        threads.submit(
                                () -> {
                                    for (int i = 0; i < 25; i++) {
                                        tenants.store(writer + "-" + i, json("{}"));
                                    }
                                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(tenants.loadAllKeys()).hasSize(16 * 25);
    }

    @Test
    void theTableOutlivesThePoolAndIsCreatedOnlyOnce() {
        tenants.store("acme", json("{}"));
        pool.close();

        pool = PostgresPool.open(url, server.user(), server.password());
        assertThat(new JdbcMapStore(pool.dataSource(), MapNames.TENANTS).load("acme"))
                .isEqualTo(json("{}"));
    }

    @Test
    void aWrongPasswordIsAClearError() {
        assertThatThrownBy(() -> PostgresPool.open(url, server.user(), "wrong"))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("PostgreSQL store unreachable at " + url)
                .hasMessageContaining("password authentication failed");
    }
}

package io.wasmesh.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.controlplane.testing.TestMembers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy that goes away stays in the status for a while, then is forgotten, so the records of
 * proxies that never come back (a pod per name) do not pile up; one that reconnects is kept.
 */
class ProxyRegistryTest {
    TestMembers cluster;
    HazelcastInstance hz;
    IMap<String, byte[]> records;

    @BeforeEach
    void start() {
        cluster = new TestMembers();
        hz = cluster.start(Persistence.none());
        records = hz.getMap(MapNames.PROXIES);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aDisconnectedProxyGetsATimeToLiveThatReconnectingTakesBack() {
        ProxyRegistry registry = new ProxyRegistry(hz, Clock.systemUTC(), Duration.ofMinutes(5));

        registry.connected("p1", "m1", "s1", Map.of("shop", 3L)).toCompletableFuture().join();
        long whileConnected = records.getEntryView("p1").getTtl();
        registry.disconnected("p1", "s1").toCompletableFuture().join();
        long afterDisconnect = records.getEntryView("p1").getTtl();
        registry.connected("p1", "m2", "s2", Map.of("shop", 3L)).toCompletableFuture().join();
        long afterReconnect = records.getEntryView("p1").getTtl();

        assertThat(afterDisconnect).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(whileConnected).isGreaterThan(afterDisconnect);
        assertThat(afterReconnect).isEqualTo(whileConnected);
        assertThat(registry.list())
                .singleElement()
                .satisfies(p -> assertThat(p.connected()).isTrue());
    }

    @Test
    void aDisconnectedProxyIsForgottenOnceItsTimeIsUp() throws InterruptedException {
        ProxyRegistry registry = new ProxyRegistry(hz, Clock.systemUTC(), Duration.ofSeconds(2));
        registry.connected("gone", "m1", "s1", Map.of()).toCompletableFuture().join();
        registry.connected("kept", "m1", "s2", Map.of()).toCompletableFuture().join();

        registry.disconnected("gone", "s1").toCompletableFuture().join();

        assertThat(registry.list()).extracting(ProxyRecord::node).contains("gone");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (registry.list().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50); // expiry is a matter of time: poll for it
        }
        assertThat(registry.list()).extracting(ProxyRecord::node).containsExactly("kept");
    }
}

package io.wasmesh.controlplane.store.persist;

import static io.wasmesh.controlplane.store.persist.StoreSample.contents;
import static io.wasmesh.controlplane.store.persist.StoreSample.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.testing.TestMembers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A member's maps outlive it: what every store must do under a real Hazelcast member. */
abstract class MemberRestartContract {
    /** The store under test; asked once per member started. */
    abstract Persistence persistence();

    @Test
    void everyPersistedMapIsBackWhenAFreshMemberStarts() {
        Map<String, Map<String, byte[]>> expected = StoreSample.entries();
        try (TestMembers cluster = new TestMembers()) {
            HazelcastInstance first = cluster.start(persistence());
            first.<String, byte[]>getMap(MapNames.TENANTS).put("acme", json("{\"revision\":2}"));
            StoreSample.putAll(first, expected); // overwrites acme
            first.<String, byte[]>getMap(MapNames.TENANTS).put("deleted", json("{}"));
            first.getMap(MapNames.TENANTS).delete("deleted");
            first.<String, byte[]>getMap(MapNames.PROXIES).put("proxy-1", json("{\"live\":true}"));
            cluster.shutdown(first);

            HazelcastInstance second = cluster.start(persistence());

            for (String name : MapNames.PERSISTED) {
                assertThat(contents(second.<String, byte[]>getMap(name)))
                        .as(name)
                        .isEqualTo(contents(expected.get(name)));
            }
            assertThat(second.getMap(MapNames.PROXIES).size()).as("live state").isZero();
        }
    }
}

package io.wasmesh.controlplane.store.persist;

import static io.wasmesh.controlplane.store.persist.StoreSample.contents;
import static io.wasmesh.controlplane.store.persist.StoreSample.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.testing.TestMembers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreRestartTest extends MemberRestartContract {
    @TempDir Path data;

    @Override
    Persistence persistence() {
        return Persistence.files(data);
    }

    @Test
    void aTwoMemberClusterSharingOneFolderIsBackFromOneMember() {
        Map<String, Map<String, byte[]>> written = new HashMap<>();
        try (TestMembers cluster = new TestMembers()) {
            HazelcastInstance a = cluster.start(persistence());
            HazelcastInstance b = cluster.start(persistence());
            assertThat(a.getCluster().getMembers()).hasSize(2);
            for (int i = 0; i < 200; i++) {
                String map = MapNames.PERSISTED.get(i % MapNames.PERSISTED.size());
                String key = "tenant-" + i + "/entry";
                byte[] value = json("{\"n\":" + i + "}");
                (i % 2 == 0 ? a : b).<String, byte[]>getMap(map).put(key, value);
                written.computeIfAbsent(map, m -> new HashMap<>()).put(key, value);
            }
            cluster.shutdown(a);
            cluster.shutdown(b);

            HazelcastInstance alone = cluster.start(persistence());

            int total = 0;
            for (String name : MapNames.PERSISTED) {
                assertThat(contents(alone.<String, byte[]>getMap(name)))
                        .as(name)
                        .isEqualTo(contents(written.get(name)));
                total += alone.getMap(name).size();
            }
            assertThat(total).isEqualTo(200);
        }
    }
}

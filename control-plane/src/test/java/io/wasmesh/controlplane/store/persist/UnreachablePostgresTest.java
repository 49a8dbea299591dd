package io.wasmesh.controlplane.store.persist;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.testing.TestMembers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Needs no server: what a node says when there is none. */
class UnreachablePostgresTest {
    String url;

    @BeforeEach
    void aPortNobodyListensOn() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            url = "jdbc:postgresql://127.0.0.1:" + s.getLocalPort() + "/wasmesh";
        }
    }

    @Test
    void openingThePoolNamesTheServerAndTheReason() {
        assertThatThrownBy(() -> PostgresPool.open(url, "cp", "s3cret"))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("PostgreSQL store unreachable at " + url + " as user 'cp'")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aMembersMapCallsFailWithThatReason() {
        try (TestMembers cluster = new TestMembers()) {
            HazelcastInstance member = cluster.start(Persistence.postgres(url, "cp", "s3cret"));

            assertThatThrownBy(() -> member.getMap(MapNames.TENANTS).get("acme"))
                    .hasMessageContaining("PostgreSQL store unreachable at " + url);
        }
    }
}

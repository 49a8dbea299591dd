package io.wasmesh.controlplane.store.persist;

import static io.wasmesh.controlplane.store.persist.StoreSample.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.hazelcast.core.HazelcastInstance;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.testing.PostgresServer;
import io.wasmesh.controlplane.testing.TestMembers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresServer.class)
class PostgresRestartTest extends MemberRestartContract {
    PostgresServer.Server server;
    String database;

    @BeforeEach
    void freshDatabase(PostgresServer.Server server) {
        this.server = server;
        String url = server.newDatabase();
        database = url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    Persistence persistence() {
        return Persistence.postgres(server.jdbcUrl(database), server.user(), server.password());
    }

    @Test
    void theMemberClosesItsPoolWhenItShutsDown() throws SQLException {
        try (TestMembers cluster = new TestMembers()) {
            HazelcastInstance member = cluster.start(persistence());
            member.<String, byte[]>getMap(MapNames.TENANTS).put("acme", json("{}"));
            assertThat(sessionsOn(database)).isPositive();

            cluster.shutdown(member);
        }
        // DROP DATABASE fails while anyone is connected (PostgreSQL gives them 5 s to leave).
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            assertThatCode(() -> s.execute("DROP DATABASE " + database)).doesNotThrowAnyException();
        }
    }

    private int sessionsOn(String db) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                                        + db
                                        + "' AND application_name = 'wasmesh-control-plane'")) {
            r.next();
            return r.getInt(1);
        }
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(
                server.jdbcUrl("postgres"), server.user(), server.password());
    }
}

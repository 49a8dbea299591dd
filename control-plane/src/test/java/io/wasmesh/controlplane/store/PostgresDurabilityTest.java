package io.wasmesh.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.controlplane.testing.Api;
import io.wasmesh.controlplane.testing.Fixtures;
import io.wasmesh.controlplane.testing.PostgresServer;
import io.wasmesh.controlplane.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production store through the whole API: a two-member cluster on PostgreSQL is written to,
 * shut down completely, and a new cluster on the same database serves everything back. Skipped with
 * a message where no PostgreSQL can be started.
 */
@ExtendWith(PostgresServer.class)
class PostgresDurabilityTest {

    @Test
    void aFullRestartOnPostgresLosesNothing(PostgresServer.Server server) throws Exception {
        String url = server.newDatabase();
        Persistence postgres = Persistence.postgres(url, server.user(), server.password());
        String tag;
        String tenantToken;
        try (TestCluster cluster = TestCluster.start(2, postgres, ApiServer.Limits.DEFAULT)) {
            Api shop = Fixtures.tenant(cluster.operator(0), "shop");
            tenantToken = shop.token();
            tag = Fixtures.push(shop, "shop", Fixtures.filter("add_header"));
            String doc =
                    "filters:\n  - {name: tag, module: \"sha256:%s\"}\n".formatted(tag)
                            + "routes:\n  - {match: {prefix: /}, directResponse: {status: 200, body: kept}}\n";
            assertThat(shop.putYaml("/v1/tenants/shop/config", doc).status()).isEqualTo(201);
        }
        try (TestCluster again = TestCluster.start(2, postgres, ApiServer.Limits.DEFAULT)) {
            Api shop = again.operator(1).as(tenantToken);
            assertThat(shop.get("/v1/tenants/shop").json().path("revision").asLong())
                    .as("the tenant's token, its tenant and its revisions came back")
                    .isEqualTo(2);
            assertThat(shop.get("/v1/tenants/shop/config").text()).contains("body: kept");
            assertThat(
                            shop.send(
                                            "GET",
                                            "/v1/tenants/shop/modules/" + tag,
                                            null,
                                            null,
                                            "accept",
                                            "application/wasm")
                                    .bytes())
                    .isEqualTo(Fixtures.filter("add_header"));
        }
    }
}

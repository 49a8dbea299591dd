package io.wasmesh.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.controlplane.testing.Api;
import io.wasmesh.controlplane.testing.Fixtures;
import io.wasmesh.controlplane.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint against every kind of caller: a tenant's token never sees or changes another
 * tenant's data (404, as if it did not exist), no token is 401, a wrong role 403; and the rate
 * limit answers 429.
 */
class TenantIsolationTest {
    static TestCluster cluster;
    static Api operator;
    static Api alice;
    static Api bob;
    static Api proxy;
    static Api nobody;
    static Api revoked;
    static String aliceModule;

    @BeforeAll
    static void start() throws Exception {
        cluster =
                TestCluster.start(
                        1,
                        Persistence.none(),
                        new ApiServer.Limits(1 << 20, 1 << 20, 64 << 10, 1000, 1000));
        operator = cluster.operator(0);
        alice = Fixtures.tenant(operator, "alice");
        bob = Fixtures.tenant(operator, "bob");
        aliceModule = Fixtures.push(alice, "alice", Fixtures.filter("add_header"));
        proxy =
                operator.as(
                        operator.postJson("/v1/tokens", "{\"role\":\"proxy\",\"name\":\"p\"}")
                                .json()
                                .path("token")
                                .asText());
        nobody = cluster.anonymous(0);
        Api.Response doomed =
                operator.postJson("/v1/tenants/alice/tokens", "{\"name\":\"doomed\"}");
        revoked = operator.as(doomed.json().path("token").asText());
        assertThat(
                        operator.delete(
                                        "/v1/tenants/alice/tokens/"
                                                + doomed.json().path("id").asText())
                                .status())
                .isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    record Call(String method, String path, byte[] body, String contentType) {
        static Call of(String method, String path) {
            return new Call(method, path, null, null);
        }

        static Call json(String method, String path, String json) {
            return new Call(
                    method, path, json.getBytes(StandardCharsets.UTF_8), "application/json");
        }

        Api.Response by(Api api) {
            return api.send(method, path, body, contentType);
        }
    }

    @Test
    void everyCallerGetsExactlyWhatItsTokenAllows() {
        String a = "/v1/tenants/alice";
        byte[] wasm = Fixtures.filter("api_key");
        Map<Call, int[]> table = new LinkedHashMap<>();
        // expected status for:              operator, alice, bob, proxy, none, revoked
        table.put(Call.of("GET", "/v1/tenants"), new int[] {200, 403, 403, 403, 401, 401});
        table.put(Call.of("GET", a), new int[] {200, 200, 404, 403, 401, 401});
        table.put(Call.of("GET", a + "/modules"), new int[] {200, 200, 404, 403, 401, 401});
        table.put(
                Call.of("GET", a + "/modules/" + aliceModule),
                new int[] {200, 200, 404, 403, 401, 401});
        table.put(
                new Call("POST", a + "/modules", wasm, "application/wasm"),
                new int[] {200, 201, 404, 403, 401, 401});
        table.put(
                new Call(
                        "PUT",
                        a + "/config",
                        "routes: []\n".getBytes(StandardCharsets.UTF_8),
                        "application/yaml"),
                new int[] {201, 201, 404, 403, 401, 401});
        table.put(Call.of("GET", a + "/config"), new int[] {200, 200, 404, 403, 401, 401});
        table.put(
                Call.of("GET", a + "/config/revisions"), new int[] {200, 200, 404, 403, 401, 401});
        table.put(
                Call.of("GET", a + "/config/revisions/1"),
                new int[] {200, 200, 404, 403, 401, 401});
        table.put(Call.of("GET", a + "/status"), new int[] {200, 200, 404, 403, 401, 401});
        table.put(
                Call.of("DELETE", a + "/modules/" + "f".repeat(64)),
                new int[] {404, 404, 404, 403, 401, 401});
        table.put(
                Call.json("POST", a + "/config/rollback", "{\"revision\":1}"),
                new int[] {201, 201, 404, 403, 401, 401});
        table.put(
                Call.json("POST", a + "/tokens", "{\"name\":\"x\"}"),
                new int[] {201, 403, 403, 403, 401, 401});
        table.put(Call.of("GET", a + "/tokens"), new int[] {200, 403, 403, 403, 401, 401});
        table.put(
                Call.json("PATCH", a, "{\"quota\":{\"modules\":50}}"),
                new int[] {200, 403, 403, 403, 401, 401});
        table.put(
                Call.json(
                        "POST",
                        "/v1/tenants",
                        "{\"name\":\"mallory\",\"domains\":[\"mallory.example.com\"]}"),
                new int[] {201, 403, 403, 403, 401, 401});
        table.put(
                Call.json("POST", "/v1/tokens", "{\"role\":\"proxy\"}"),
                new int[] {201, 403, 403, 403, 401, 401});
        table.put(Call.of("GET", "/v1/proxies"), new int[] {200, 403, 403, 403, 401, 401});
        table.put(
                Call.of("GET", "/v1/proxy/tenants/alice/modules/" + aliceModule),
                new int[] {403, 403, 403, 200, 401, 401});
        table.put(Call.of("GET", "/v1/tenants/nosuch"), new int[] {404, 404, 404, 403, 401, 401});

        List<Api> callers = List.of(operator, alice, bob, proxy, nobody, revoked);
        List<String> names = List.of("operator", "alice", "bob", "proxy", "none", "revoked");
        SoftAssertions soft = new SoftAssertions();
        // The tenant-changing calls run in the matrix's order; bob's calls come before alice's
        // successful ones are compared, so anything bob changed would show in alice's revision.
        for (Map.Entry<Call, int[]> row : table.entrySet()) {
            for (int c : new int[] {2, 3, 4, 5, 1, 0}) {
                Api.Response r = row.getKey().by(callers.get(c));
                soft.assertThat(r.status())
                        .as(
                                "%s %s by %s: %s",
                                row.getKey().method(), row.getKey().path(), names.get(c), r.text())
                        .isEqualTo(row.getValue()[c]);
                if (r.status() >= 400) {
                    soft.assertThat(r.header("content-type")).isEqualTo("application/problem+json");
                }
            }
        }
        soft.assertAll();
        // bob learned nothing: alice's tenant and a tenant that does not exist answer alike.
        assertThat(bob.get("/v1/tenants/alice").json().path("title").asText())
                .isEqualTo(bob.get("/v1/tenants/nosuch").json().path("title").asText());
    }

    @Test
    void aTokenOverItsRateGets429WithRetryAfter() throws Exception {
        try (TestCluster slow =
                TestCluster.start(
                        1,
                        Persistence.none(),
                        new ApiServer.Limits(1 << 20, 1 << 20, 64 << 10, 1, 3))) {
            Api op = slow.operator(0);
            // A burst of 3 at 1 per second: the fifth call in a row cannot have a token left.
            Api.Response limited = null;
            for (int i = 0; i < 5 && limited == null; i++) {
                Api.Response r = op.get("/v1/tenants");
                if (r.status() == 429) {
                    limited = r;
                } else {
                    assertThat(r.status()).isEqualTo(200);
                }
            }
            assertThat(limited).isNotNull();
            assertThat(limited.header("retry-after")).isNotNull();
            assertThat(limited.json().path("type").asText()).endsWith("/rate-limited");
        }
    }
}

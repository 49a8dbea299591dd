package io.wasmesh.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.controlplane.testing.Api;
import io.wasmesh.controlplane.testing.Fixtures;
import io.wasmesh.controlplane.testing.TestCluster;
import io.wasmesh.controlplane.testing.TestProxy;
import io.wasmesh.proxy.sync.ControlPlaneSync;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control-plane members and proxies connected to different members: a write through one
 * member reaches every proxy, a refused revision is NACKed while the previous one keeps serving, a
 * member killed during a stream of writes loses no acknowledged write and its proxies fail over.
 */
class DistributionTest {

    static String config(String body, String filters) {
        return """
                %s
                routes:
                  - match: {prefix: /}
                    directResponse: {status: 200, body: "%s"}
                """
                .formatted(filters, body);
    }

    static String proxyToken(Api operator) {
        return operator.postJson("/v1/tokens", "{\"role\":\"proxy\",\"name\":\"proxies\"}")
                .json()
                .path("token")
                .asText();
    }

    @Test
    void aWriteThroughOneMemberIsAppliedByProxiesOnTheOthers(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(3);
                TestProxy onB =
                        TestProxy.start(
                                "proxy-b",
                                List.of(cluster.node(1).apiUrl()),
                                proxyToken(cluster.operator(0)),
                                dir.resolve("b"));
                TestProxy onC =
                        TestProxy.start(
                                "proxy-c",
                                List.of(cluster.node(2).apiUrl()),
                                proxyToken(cluster.operator(0)),
                                dir.resolve("c"))) {
            Api shop = Fixtures.tenant(cluster.operator(0), "shop");
            assertThat(onB.await("shop", 1).applied()).isTrue();
            assertThat(onC.await("shop", 1).applied()).isTrue();

            String tag = Fixtures.push(shop, "shop", Fixtures.filter("add_header"));
            String filters = "filters:\n  - {name: tag, module: \"sha256:%s\"}".formatted(tag);
            assertThat(shop.putYaml("/v1/tenants/shop/config", config("one", filters)).status())
                    .isEqualTo(201);
            for (TestProxy p : List.of(onB, onC)) {
                assertThat(p.await("shop", 2).applied()).isTrue();
                var r = p.get("shop.example.com", "/");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("one");
            }

            // A filter that refuses its configuration: every proxy NACKs, the old one serves on.
            String apiKey = Fixtures.push(shop, "shop", Fixtures.filter("api_key"));
            String refused =
                    "filters:\n  - {name: key, module: \"sha256:%s\", configuration: \"colour=blue\"}"
                            .formatted(apiKey);
            assertThat(shop.putYaml("/v1/tenants/shop/config", config("two", refused)).status())
                    .isEqualTo(201);
            for (TestProxy p : List.of(onB, onC)) {
                ControlPlaneSync.Outcome o = p.await("shop", 3);
                assertThat(o.applied()).isFalse();
                assertThat(o.error()).contains("rejected its configuration");
                assertThat(p.get("shop.example.com", "/").body()).isEqualTo("one");
            }
            JsonNode status = awaitStatus(shop, 3, "NACKED", 2);
            assertThat(status.path("proxies").get(0).path("applied").asLong()).isEqualTo(2);
            assertThat(status.path("proxies").get(0).path("error").asText())
                    .contains("rejected its configuration");

            // Rolling back makes revision 4 with revision 2's document: SYNCED everywhere.
            assertThat(
                            shop.postJson("/v1/tenants/shop/config/rollback", "{\"revision\":2}")
                                    .status())
                    .isEqualTo(201);
            assertThat(onB.await("shop", 4).applied()).isTrue();
            assertThat(onC.await("shop", 4).applied()).isTrue();
            awaitStatus(shop, 4, "SYNCED", 2);

            // Deleting the tenant takes it off every proxy.
            assertThat(cluster.operator(2).delete("/v1/tenants/shop").status()).isEqualTo(204);
            for (TestProxy p : List.of(onB, onC)) {
                awaitRemoved(p, "shop");
                assertThat(p.get("shop.example.com", "/").statusCode()).isEqualTo(404);
            }
        }
    }

    private static void awaitRemoved(TestProxy p, String tenant) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (p.sync().applied().containsKey(tenant)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("proxy still runs " + p.sync().applied());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aMemberKilledDuringWritesLosesNoAcknowledgedWriteAndItsProxiesFailOver(@TempDir Path dir)
            throws Exception {
        try (TestCluster cluster =
                TestCluster.start(3, Persistence.none(), ApiServer.Limits.DEFAULT)) {
            Api operator = cluster.operator(0);
            Api shop = Fixtures.tenant(operator, "shop");
            String token = proxyToken(operator);
            List<String> all = cluster.nodes().stream().map(n -> n.apiUrl()).toList();
            try (TestProxy first =
                            TestProxy.start(
                                    "proxy-1",
                                    List.of(all.get(1), all.get(2)),
                                    token,
                                    dir.resolve("1"));
                    TestProxy second =
                            TestProxy.start(
                                    "proxy-2",
                                    List.of(all.get(1), all.get(2)),
                                    token,
                                    dir.resolve("2"))) {
                first.await("shop", 1);
                second.await("shop", 1);

                Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
                AtomicBoolean writing = new AtomicBoolean(true);
                Thread writer =
                        new Thread(
                                () -> {
                                    for (int i = 0; writing.get(); i++) {
                                        Api.Response r;
                                        try {
                                            r =
                                                    shop.putYaml(
                                                            "/v1/tenants/shop/config",
                                                            config("write-" + i, ""));
                                        } catch (RuntimeException e) {
                                            continue; // not acknowledged: may or may not be kept
                                        }
                                        if (r.status() == 201) {
                                            acknowledged.add(r.json().path("revision").asLong());
                                        }
                                    }
                                });
                writer.start();
                awaitAtLeast(acknowledged, 10);
                cluster.node(1).kill();
                int atKill = acknowledged.size();
                awaitAtLeast(acknowledged, atKill + 10);
                writing.set(false);
                writer.join();

                JsonNode history = shop.get("/v1/tenants/shop/config/revisions").json();
                Set<Long> kept = new HashSet<>();
                history.forEach(r -> kept.add(r.path("revision").asLong()));
                assertThat(kept).containsAll(acknowledged);

                long last = history.get(history.size() - 1).path("revision").asLong();
                for (TestProxy p : List.of(first, second)) {
                    awaitApplied(p, "shop", last);
                    assertThat(p.sync().connectedTo().toString()).isEqualTo(all.get(2));
                    assertThat(p.get("shop.example.com", "/").body()).isEqualTo(bodyOf(shop));
                }
            }
        }
    }

    @Test
    void aFullRestartLosesNothingAndAProxyWithoutControlPlaneServesItsLastRevision(
            @TempDir Path dir) throws Exception {
        Persistence files = Persistence.files(dir.resolve("cp"));
        String token;
        String tag;
        try (TestCluster cluster = TestCluster.start(3, files, ApiServer.Limits.DEFAULT)) {
            Api operator = cluster.operator(0);
            Api shop = Fixtures.tenant(operator, "shop");
            tag = Fixtures.push(shop, "shop", Fixtures.filter("add_header"));
            token = proxyToken(operator);
            String filters = "filters:\n  - {name: tag, module: \"sha256:%s\"}".formatted(tag);
            assertThat(shop.putYaml("/v1/tenants/shop/config", config("kept", filters)).status())
                    .isEqualTo(201);
            try (TestProxy p =
                    TestProxy.start(
                            "proxy", List.of(cluster.node(0).apiUrl()), token, dir.resolve("p"))) {
                assertThat(p.await("shop", 2).applied()).isTrue();
            }
        }
        try (TestCluster again = TestCluster.start(3, files, ApiServer.Limits.DEFAULT)) {
            Api operator = again.operator(1);
            assertThat(operator.get("/v1/tenants/shop").json().path("revision").asLong())
                    .isEqualTo(2);
            assertThat(operator.get("/v1/tenants/shop/config").text()).contains("kept");
            var bytes =
                    operator.send(
                            "GET",
                            "/v1/tenants/shop/modules/" + tag,
                            null,
                            null,
                            "accept",
                            "application/wasm");
            assertThat(bytes.bytes()).isEqualTo(Fixtures.filter("add_header"));
            assertThat(operator.as(token).get("/v1/proxy/tenants/shop/modules/" + tag).status())
                    .as("tokens survive too")
                    .isEqualTo(200);
        }
        // No control plane at all: the proxy starts from its disk store and serves revision 2.
        try (TestProxy alone =
                TestProxy.start("proxy", List.of("http://127.0.0.1:1"), token, dir.resolve("p"))) {
            assertThat(alone.sync().applied()).containsEntry("shop", 2L);
            assertThat(alone.get("shop.example.com", "/").body()).isEqualTo("kept");
        }
    }

    private static String bodyOf(Api shop) {
        String text = shop.get("/v1/tenants/shop/config").text();
        int at = text.indexOf("body: \"") + 7;
        return text.substring(at, text.indexOf('"', at));
    }

    private static void awaitAtLeast(Set<Long> set, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (set.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + set.size() + " writes acknowledged");
            }
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    private static void awaitApplied(TestProxy p, String tenant, long revision) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (p.sync().applied().getOrDefault(tenant, 0L) < revision) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "proxy runs " + p.sync().applied() + ", not revision " + revision);
            }
            Thread.sleep(5);
        }
    }

    private static JsonNode awaitStatus(Api shop, long revision, String state, int proxies)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode s;
        while (true) {
            s = shop.get("/v1/tenants/shop/status").json();
            List<String> states = new ArrayList<>();
            s.path("proxies").forEach(p -> states.add(p.path("state").asText()));
            if (s.path("revision").asLong() == revision
                    && states.size() == proxies
                    && states.stream().allMatch(state::equals)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status never became " + state + ": " + s);
            }
            Thread.sleep(5);
        }
    }
}

package io.wasmesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.controlplane.testing.Api;
import io.wasmesh.controlplane.testing.Fixtures;
import io.wasmesh.controlplane.testing.TestCluster;
import io.wasmesh.controlplane.testing.TestProxy;
import io.wasmesh.observability.Telemetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh's telemetry end to end: a config write is one trace from the API request through the
 * push to each proxy's apply; every metric the Grafana dashboards query is one that wasmesh
 * exports, and each {@code /metrics} is well-formed Prometheus text.
 */
class ObservabilityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE =
            Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? -?[0-9.eE+-]+|[+-]Inf|NaN");

    @Test
    void aConfigWriteIsOneTraceFromTheApiToEveryProxyAndTheDashboardsQueryRealMetrics(
            @TempDir Path dir) throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Telemetry cpTelemetry = Telemetry.forTesting("control-plane", spans, null);
        Telemetry proxyTelemetry = Telemetry.forTesting("proxy", spans, null);
        try (TestCluster cluster =
                        TestCluster.start(
                                1, Persistence.none(), ApiServer.Limits.DEFAULT, cpTelemetry);
                TestProxy proxy =
                        TestProxy.start(
                                "proxy-1",
                                List.of(cluster.node(0).apiUrl()),
                                cluster.operator(0)
                                        .postJson("/v1/tokens", "{\"role\":\"proxy\"}")
                                        .json()
                                        .path("token")
                                        .asText(),
                                dir,
                                proxyTelemetry)) {
            Api shop = Fixtures.tenant(cluster.operator(0), "shop");
            proxy.await("shop", 1);
            String tag = Fixtures.push(shop, "shop", Fixtures.filter("add_header"));
            String hostile =
                    Fixtures.push(
                            shop,
                            "shop",
                            Files.readAllBytes(
                                    Path.of(
                                            "..",
                                            "wasm-host",
                                            "src",
                                            "test",
                                            "resources",
                                            "wasm",
                                            "hostile.wasm")));
            int api = cluster.node(0).apiPort();
            String doc =
                    """
                    filters:
                      - {name: tag, module: "sha256:%s"}
                      - {name: hostile, module: "sha256:%s", configuration: "trap on_request_headers", failurePolicy: fail_open}
                    clusters:
                      - {name: cp, endpoints: ["127.0.0.1:%d"]}
                    routes:
                      - {match: {prefix: /}, cluster: cp}
                    """
                            .formatted(tag, hostile, api);
            String trace = "0af7651916cd43dd8448eb211c80319c";
            Api.Response put =
                    shop.putYaml(
                            "/v1/tenants/shop/config",
                            doc,
                            "traceparent",
                            "00-" + trace + "-b7ad6b7169203331-01");
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
            assertThat(proxy.await("shop", 2).applied()).isTrue();
            assertThat(proxy.get("shop.example.com", "/v1/health").statusCode()).isEqualTo(200);
            awaitSynced(shop, 2);

            // One trace: PUT (server) -> push revision -> apply revision.
            List<SpanData> inTrace =
                    spans.getFinishedSpanItems().stream()
                            .filter(s -> s.getTraceId().equals(trace))
                            .toList();
            SpanData write = named(inTrace, "PUT /v1/tenants/:tenant/config");
            SpanData push = named(inTrace, "push revision");
            SpanData apply = named(inTrace, "apply revision");
            assertThat(push.getParentSpanId()).isEqualTo(write.getSpanId());
            assertThat(apply.getParentSpanId()).isEqualTo(push.getSpanId());

            String proxyMetrics = get("http://127.0.0.1:" + proxy.adminPort() + "/metrics");
            String cpMetrics = get(cluster.node(0).apiUrl() + "/metrics");
            wellFormed(proxyMetrics);
            wellFormed(cpMetrics);
            Set<String> exported = sampleNames(proxyMetrics + cpMetrics);
            Set<String> queried = dashboardMetrics();
            assertThat(queried).as("the dashboards query something").hasSizeGreaterThan(10);
            assertThat(exported).containsAll(queried);
        }
    }

    /** Until the control plane has the proxy's ACK of {@code revision}. */
    private static void awaitSynced(Api shop, long revision) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode s = shop.get("/v1/tenants/shop/status").json();
            if (s.path("synced").asInt() == 1 && s.path("revision").asLong() == revision) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never synced: " + s);
            }
            Thread.sleep(5);
        }
    }

    private static SpanData named(List<SpanData> spans, String name) {
        return spans.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no span "
                                                + name
                                                + " in "
                                                + spans.stream().map(SpanData::getName).toList()));
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Every line a comment (# HELP/# TYPE) or a sample: name, optional labels, a number. */
    private static void wellFormed(String text) {
        List<String> bad = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# ")) {
                continue;
            }
            if (!SAMPLE.matcher(line).matches()) {
                bad.add(line);
            }
        }
        assertThat(bad).as("lines that are not Prometheus samples").isEmpty();
    }

    private static Set<String> sampleNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.replaceAll("[{ ].*", ""));
            }
        }
        return names;
    }

    /** The metric names in every {@code expr} of every dashboard under observability/grafana. */
    static Set<String> dashboardMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:wasmesh|http)_[a-z0-9_]+)\\b");
        Path dashboards = Path.of("..", "observability", "grafana", "dashboards");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dashboards, "*.json")) {
            for (Path f : files) {
                collect(new JsonMapper().readTree(f.toFile()), metric, names);
            }
        }
        return names;
    }

    private static void collect(JsonNode node, Pattern metric, Set<String> out) {
        if (node.isObject()) {
            node.properties()
                    .forEach(
                            e -> {
                                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                                    // Label matchers and grouping lists name labels, not metrics.
                                    String expr =
                                            e.getValue()
                                                    .asText()
                                                    .replaceAll("\\{[^}]*\\}", "")
                                                    .replaceAll(
                                                            "\\b(by|without)\\s*\\([^)]*\\)", "");
                                    Matcher m = metric.matcher(expr);
                                    while (m.find()) {
                                        out.add(m.group(1));
                                    }
                                } else {
                                    collect(e.getValue(), metric, out);
                                }
                            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, metric, out));
        }
    }
}

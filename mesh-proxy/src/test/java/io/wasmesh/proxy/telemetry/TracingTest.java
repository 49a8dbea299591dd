package io.wasmesh.proxy.telemetry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.wasmesh.observability.Telemetry;
import io.wasmesh.proxy.WasmServiceProxyTest;
import io.wasmesh.proxy.testing.RunningProxy;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trace of one request through two filters, a Wasm service (called by a filter) and an
 * upstream: every Wasm call a span in the right place, the context carried to the upstream and the
 * service, and a trapping filter's span in error.
 */
class TracingTest {
    @RegisterExtension
    static WireMockExtension backend =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    static String yaml(String extraFilter) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters:
                      - {name: tag, module: "%s", configuration: "add=x-team: payments"}
                      - {name: auth, module: "%s", configuration: "cluster=checker\\npath=/check?echo"}
                %s
                    services:
                      - {name: checker, module: "%s"}
                    clusters:
                      - {name: backend, endpoints: ["127.0.0.1:%d"]}
                      - {name: outside, endpoints: ["127.0.0.1:%d"], external: true}
                    routes:
                      - {match: {prefix: /outside}, cluster: outside}
                      - {match: {prefix: /}, cluster: backend}
                """
                .formatted(
                        RunningProxy.example("c/add_header.wasm"),
                        RunningProxy.example("c/http_auth.wasm"),
                        extraFilter,
                        WasmServiceProxyTest.fixture("wagi_probe.wasm"),
                        backend.getPort(),
                        backend.getPort());
    }

    /** The hostile fixture as a fail-open filter that traps in {@code callback}. */
    static String trappingFilter(String callback) {
        return """
                      - name: hostile
                        module: "%s"
                        configuration: "trap %s"
                        failurePolicy: fail_open
                """
                .formatted(WasmServiceProxyTest.fixture("hostile.wasm"), callback);
    }

    static RunningProxy start(String yaml, InMemorySpanExporter spans) {
        return RunningProxy.start(
                yaml,
                RunningProxy.options().withTelemetry(Telemetry.forTesting("proxy", spans, null)));
    }

    @Test
    void oneRequestIsOneTraceWithASpanPerWasmCall() {
        backend.stubFor(get("/orders").willReturn(aResponse().withStatus(200).withBody("ok")));
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (RunningProxy p = start(yaml(""), spans)) {
            RunningProxy.Response r =
                    p.get(
                            "shop.test",
                            "/orders",
                            "traceparent",
                            "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01");
            assertThat(r.status()).isEqualTo(200);
        }
        List<SpanData> all = spans.getFinishedSpanItems();
        Map<String, SpanData> byName =
                all.stream().collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
        assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(CLIENT_TRACE));

        SpanData server = byName.get("GET /*");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getParentSpanId()).as("the client's span").isEqualTo("00f067aa0ba902b7");
        assertThat(server.getAttributes().get(TelemetryKeys.TENANT)).isEqualTo("shop");
        assertThat(server.getAttributes().get(TelemetryKeys.STATUS)).isEqualTo(200L);

        SpanData tag = byName.get("wasm request_headers tag");
        SpanData auth = byName.get("wasm request_headers auth");
        for (SpanData call : List.of(tag, auth)) {
            assertThat(call.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(call.getAttributes().get(TelemetryKeys.PHASE)).isEqualTo("request_headers");
            assertThat(call.getAttributes().get(TelemetryKeys.DIGEST)).hasSize(64);
        }
        assertThat(tag.getAttributes().get(TelemetryKeys.ACTION)).isEqualTo("continue");
        assertThat(auth.getAttributes().get(TelemetryKeys.ACTION))
                .as("auth waits for its http_call")
                .isEqualTo("stop");
        assertThat(tag.getEndEpochNanos()).isLessThanOrEqualTo(auth.getStartEpochNanos());

        SpanData service = byName.get("wasm service checker");
        assertThat(service.getParentSpanId())
                .as("the service was called from auth's callback")
                .isEqualTo(auth.getSpanId());
        assertThat(service.getAttributes().get(TelemetryKeys.STATUS)).isEqualTo(200L);

        SpanData upstream =
                all.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        assertThat(upstream.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(upstream.getAttributes().get(TelemetryKeys.CLUSTER)).isEqualTo("backend");
        assertThat(byName).containsKey("wasm response_headers tag");

        backend.verify(
                getRequestedFor(urlEqualTo("/orders"))
                        .withHeader(
                                "traceparent",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "00-"
                                                + CLIENT_TRACE
                                                + "-"
                                                + upstream.getSpanId()
                                                + "-01")));
    }

    @Test
    void aFilterThatTrapsInATickIsCountedThoughNoRequestSawIt() throws InterruptedException {
        try (RunningProxy p =
                start(yaml(trappingFilter("on_tick")), InMemorySpanExporter.create())) {
            java.util.regex.Pattern counted =
                    java.util.regex.Pattern.compile(
                            "wasmesh_wasm_failures_total\\{[^}]*wasmesh_failure=\"trap\"[^}]*"
                                    + "wasmesh_plugin=\"hostile\"[^}]*\\} 1");
            String metrics = "";
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                // The filter asks for a tick every 10 ms; poll for the first one's failure.
                metrics = p.admin(io.vertx.core.http.HttpMethod.GET, "/metrics").body();
                if (counted.matcher(metrics).find()) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(metrics).containsPattern(counted);
        }
    }

    @Test
    void anExternalClusterGetsNoTraceContextAndATrappingFilterIsAnError() {
        backend.stubFor(get("/outside").willReturn(aResponse().withStatus(200)));
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (RunningProxy p = start(yaml(trappingFilter("on_request_headers")), spans)) {
            RunningProxy.Response r =
                    p.get(
                            "shop.test",
                            "/outside",
                            "traceparent",
                            "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01");
            assertThat(r.status()).as("fail_open lets the request through").isEqualTo(200);
            assertThat(p.admin(io.vertx.core.http.HttpMethod.GET, "/metrics").body())
                    .containsPattern(
                            "wasmesh_wasm_failures_total\\{[^}]*wasmesh_failure=\"trap\"[^}]*"
                                    + "wasmesh_plugin=\"hostile\"[^}]*\\} 1");
        }
        backend.verify(
                getRequestedFor(urlEqualTo("/outside"))
                        .withoutHeader("traceparent")
                        .withoutHeader("tracestate"));
        SpanData hostile =
                spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("wasm request_headers hostile"))
                        .findFirst()
                        .orElseThrow();
        assertThat(hostile.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(hostile.getAttributes().get(TelemetryKeys.FAILURE)).isEqualTo("trap");
    }
}

package io.wasmesh.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With only an OTLP endpoint set, spans and metrics reach an OTLP/HTTP receiver. */
class OtlpExportTest {
    @RegisterExtension
    static WireMockExtension collector =
            WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void spansAndMetricsAreExportedOverOtlpHttp() {
        collector.stubFor(post("/v1/traces").willReturn(aResponse().withStatus(200)));
        collector.stubFor(post("/v1/metrics").willReturn(aResponse().withStatus(200)));
        Map<String, String> env =
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + collector.getPort(),
                        "OTEL_SERVICE_NAME",
                        "wasmesh-otlp-test");
        try (Telemetry t =
                Telemetry.fromSettings("wasmesh-proxy", "proxy", env, new Properties())) {
            assertThat(t.tracing()).isTrue();
            t.tracer().spanBuilder("wasm request_headers probe").startSpan().end();
            t.meter()
                    .counterBuilder("wasmesh.test.exported")
                    .build()
                    .add(1, Attributes.of(AttributeKey.stringKey("wasmesh.tenant"), "shop"));
        } // closing flushes both signals
        var traces = collector.findAll(postRequestedFor(urlEqualTo("/v1/traces")));
        assertThat(traces).isNotEmpty();
        String body = new String(traces.get(0).getBody(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("wasm request_headers probe").contains("wasmesh-otlp-test");
        assertThat(traces.get(0).getHeader("content-type")).isEqualTo("application/x-protobuf");
        collector.verify(
                postRequestedFor(urlEqualTo("/v1/metrics"))
                        .withRequestBody(containing("wasmesh.test.exported")));
    }
}

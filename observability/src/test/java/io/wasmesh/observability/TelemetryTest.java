package io.wasmesh.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Off unless configured, on when an exporter or endpoint is set; metrics always render. */
class TelemetryTest {

    @Test
    void withoutAnExporterNothingIsTracedButMetricsRender() {
        try (Telemetry t =
                Telemetry.fromSettings("wasmesh-proxy", "proxy", Map.of(), new Properties())) {
            assertThat(t.tracing()).isFalse();
            assertThat(t.tracer().spanBuilder("x").startSpan().getSpanContext().isValid())
                    .as("a no-op span: nothing is recorded")
                    .isFalse();
            t.meter()
                    .counterBuilder("wasmesh.test.things")
                    .build()
                    .add(3, Attributes.of(AttributeKey.stringKey("wasmesh.tenant"), "shop"));
            assertThat(t.prometheusText())
                    .contains("wasmesh_test_things_total{")
                    .contains("wasmesh_tenant=\"shop\"")
                    .contains("} 3");
        }
    }

    @Test
    void anOtlpEndpointOrAnExplicitExporterTurnsTracingOn() {
        try (Telemetry t =
                Telemetry.fromSettings(
                        "wasmesh-proxy",
                        "proxy",
                        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"),
                        new Properties())) {
            assertThat(t.tracing()).isTrue();
            assertThat(t.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isTrue();
        }
        Properties props = new Properties();
        props.setProperty("otel.traces.exporter", "logging");
        try (Telemetry t = Telemetry.fromSettings("wasmesh-proxy", "proxy", Map.of(), props)) {
            assertThat(t.tracing()).isTrue();
        }
        props.setProperty("otel.traces.exporter", "none");
        try (Telemetry t =
                Telemetry.fromSettings(
                        "wasmesh-proxy",
                        "proxy",
                        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"),
                        props)) {
            assertThat(t.tracing()).as("an explicit none wins").isFalse();
        }
    }
}

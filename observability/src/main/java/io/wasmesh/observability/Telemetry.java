package io.wasmesh.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One process's OpenTelemetry: traces and metrics as the standard {@code OTEL_*} variables (or
 * {@code otel.*} system properties) say, with two defaults of our own. Export is <em>off unless
 * configured</em>: without {@code OTEL_TRACES_EXPORTER} or an OTLP endpoint nothing is exported and
 * {@link #tracing()} is false, so instrumentation can skip building spans. And metrics are always
 * collected for the Prometheus text of the admin endpoints ({@link #prometheusText()}).
 */
public final class Telemetry implements AutoCloseable {
    public static final AttributeKey<String> NODE_ROLE =
            AttributeKey.stringKey("wasmesh.node.role");
    public static final AttributeKey<String> SERVICE_INSTANCE_ID =
            AttributeKey.stringKey("service.instance.id");
    private static final String SCOPE = "io.wasmesh";

    private final OpenTelemetry otel;
    private final PrometheusMetricReader prometheus;
    private final boolean tracing;
    private final AutoCloseable sdk;

    private Telemetry(
            OpenTelemetry otel,
            PrometheusMetricReader prometheus,
            boolean tracing,
            AutoCloseable sdk) {
        this.otel = otel;
        this.prometheus = prometheus;
        this.tracing = tracing;
        this.sdk = sdk;
    }

    /**
     * Configures the SDK from the environment and system properties.
     *
     * @param serviceName the default {@code service.name} ({@code OTEL_SERVICE_NAME} wins)
     * @param role {@code proxy} or {@code control-plane}, the {@code wasmesh.node.role} attribute
     */
    public static Telemetry fromEnvironment(String serviceName, String role) {
        return fromSettings(serviceName, role, System.getenv(), System.getProperties());
    }

    static Telemetry fromSettings(
            String serviceName, String role, Map<String, String> env, java.util.Properties props) {
        Function<String, String> setting =
                key -> {
                    String p = props.getProperty(key);
                    return p != null ? p : env.get(key.toUpperCase(Locale.ROOT).replace('.', '_'));
                };
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", serviceName);
        defaults.put("otel.traces.exporter", configured(setting, "traces") ? "otlp" : "none");
        defaults.put("otel.metrics.exporter", configured(setting, "metrics") ? "otlp" : "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        // The SDK reads the process's own environment and properties (which win over these); the
        // settings given here are passed on too, so a caller's (or a test's) settings count.
        env.forEach(
                (k, v) -> {
                    if (k.startsWith("OTEL_")) {
                        defaults.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
                    }
                });
        props.stringPropertyNames().stream()
                .filter(k -> k.startsWith("otel."))
                .forEach(k -> defaults.put(k, props.getProperty(k)));
        PrometheusMetricReader prometheus = PrometheusMetricReader.builder().build();
        AutoConfiguredOpenTelemetrySdk auto =
                AutoConfiguredOpenTelemetrySdk.builder()
                        .addPropertiesSupplier(() -> defaults)
                        .addResourceCustomizer((resource, config) -> withOwn(resource, role))
                        .addMeterProviderCustomizer(
                                (builder, config) -> builder.registerMetricReader(prometheus))
                        // Whoever made this closes it, after draining (its own shutdown hook
                        // would race the drain and close the exporters twice).
                        .disableShutdownHook()
                        .build();
        String traces = setting.apply("otel.traces.exporter");
        if (traces == null) {
            traces = defaults.get("otel.traces.exporter");
        }
        boolean tracing = !traces.trim().equalsIgnoreCase("none");
        OpenTelemetrySdk sdk = auto.getOpenTelemetrySdk();
        return new Telemetry(sdk, prometheus, tracing, sdk);
    }

    /** Whether an OTLP endpoint for the signal (or for all) is set. */
    private static boolean configured(Function<String, String> setting, String signal) {
        return setting.apply("otel." + signal + ".exporter") != null
                || setting.apply("otel.exporter.otlp.endpoint") != null
                || setting.apply("otel.exporter.otlp." + signal + ".endpoint") != null;
    }

    /**
     * Adds the node's role, and a {@code service.instance.id} unless the SDK already made one (a
     * second one would replace it and break the SDK's entity for it).
     */
    private static Resource withOwn(Resource resource, String role) {
        Attributes own =
                resource.getAttribute(SERVICE_INSTANCE_ID) != null
                        ? Attributes.of(NODE_ROLE, role)
                        : Attributes.of(
                                NODE_ROLE, role, SERVICE_INSTANCE_ID, UUID.randomUUID().toString());
        return resource.merge(Resource.create(own));
    }

    /**
     * Telemetry for tests: every span to {@code spans} at once, metrics to {@code metrics} (and the
     * Prometheus text), tracing on.
     */
    public static Telemetry forTesting(String role, SpanExporter spans, MetricReader metrics) {
        PrometheusMetricReader prometheus = PrometheusMetricReader.builder().build();
        Resource resource =
                withOwn(Resource.getDefault(), role)
                        .merge(
                                Resource.create(
                                        Attributes.of(
                                                AttributeKey.stringKey("service.name"),
                                                "wasmesh-" + role)));
        var meters =
                SdkMeterProvider.builder().setResource(resource).registerMetricReader(prometheus);
        if (metrics != null) {
            meters.registerMetricReader(metrics);
        }
        OpenTelemetrySdk sdk =
                OpenTelemetrySdk.builder()
                        .setTracerProvider(
                                SdkTracerProvider.builder()
                                        .setResource(resource)
                                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                                        .build())
                        .setMeterProvider(meters.build())
                        .setPropagators(
                                io.opentelemetry.context.propagation.ContextPropagators.create(
                                        io.opentelemetry.api.trace.propagation
                                                .W3CTraceContextPropagator.getInstance()))
                        .build();
        return new Telemetry(sdk, prometheus, true, sdk);
    }

    /** Metrics only (nothing exported, no tracing): what a component gets when none is given. */
    public static Telemetry metricsOnly(String role) {
        PrometheusMetricReader prometheus = PrometheusMetricReader.builder().build();
        SdkMeterProvider meters =
                SdkMeterProvider.builder()
                        .setResource(withOwn(Resource.getDefault(), role))
                        .registerMetricReader(prometheus)
                        .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meters).build();
        return new Telemetry(sdk, prometheus, false, sdk);
    }

    public OpenTelemetry openTelemetry() {
        return otel;
    }

    /** Whether spans are exported; when false, instrumentation should not build any. */
    public boolean tracing() {
        return tracing;
    }

    public Tracer tracer() {
        return otel.getTracer(SCOPE);
    }

    public Meter meter() {
        return otel.getMeter(SCOPE);
    }

    public TextMapPropagator propagator() {
        return otel.getPropagators().getTextMapPropagator();
    }

    /** Every metric in the Prometheus text format, as {@code /metrics} serves it. */
    public String prometheusText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create()
                    .write(out, prometheus.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Flushes and stops the exporters. */
    @Override
    public void close() {
        try {
            sdk.close();
        } catch (Exception e) {
            System.getLogger(Telemetry.class.getName())
                    .log(System.Logger.Level.WARNING, "closing OpenTelemetry: " + e);
        }
    }
}

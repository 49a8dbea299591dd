package io.wasmesh.controlplane;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.wasmesh.observability.Telemetry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The control plane's instruments: API request durations (and a SERVER span per request when
 * tracing is on), revisions pushed, proxies' ACKs and NACKs, proxies connected.
 */
public final class ControlPlaneTelemetry {
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("wasmesh.result");
    private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> METHOD =
            AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<Long> STATUS =
            AttributeKey.longKey("http.response.status_code");
    private static final Attributes ACK = Attributes.of(RESULT, "ack");
    private static final Attributes NACK = Attributes.of(RESULT, "nack");

    private final Telemetry telemetry;
    private final DoubleHistogram apiDuration;
    private final LongCounter pushes;
    private final LongCounter acks;

    public ControlPlaneTelemetry(Telemetry telemetry) {
        this.telemetry = telemetry;
        var meter = telemetry.meter();
        apiDuration =
                meter.histogramBuilder("http.server.request.duration")
                        .setUnit("s")
                        .setDescription("Duration of the control plane's API requests.")
                        .setExplicitBucketBoundariesAdvice(
                                List.of(
                                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                        1.0, 2.5, 5.0))
                        .build();
        pushes =
                meter.counterBuilder("wasmesh.controlplane.pushes")
                        .setDescription("Revision frames sent to proxies.")
                        .build();
        acks =
                meter.counterBuilder("wasmesh.controlplane.acks")
                        .setDescription("Proxies' answers to revisions: ack or nack.")
                        .build();
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** A gauge of the proxies connected to this node, read at collection time. */
    public void watchProxies(IntSupplier connected) {
        telemetry
                .meter()
                .gaugeBuilder("wasmesh.controlplane.proxies")
                .ofLongs()
                .setDescription("Proxies connected to this control-plane node.")
                .buildWithCallback(m -> m.record(connected.getAsInt()));
    }

    public void pushed() {
        pushes.add(1);
    }

    public void answered(boolean ack) {
        acks.add(1, ack ? ACK : NACK);
    }

    /** Starts the SERVER span of an API request (null when not tracing). */
    public Span startRequest(String method, Map<String, String> headers) {
        if (!telemetry.tracing()) {
            return null;
        }
        Context parent = telemetry.propagator().extract(Context.root(), headers, MAP_GETTER);
        return telemetry
                .tracer()
                .spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .startSpan();
    }

    /** Records an answered API request and ends its span. */
    public void endRequest(Span span, String method, String route, int status, long startNanos) {
        apiDuration.record(
                (System.nanoTime() - startNanos) / 1e9,
                Attributes.of(HTTP_ROUTE, route, METHOD, method, STATUS, (long) status));
        if (span != null) {
            span.updateName(method + " " + route);
            span.setAttribute(HTTP_ROUTE, route);
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) {
                span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
            }
            span.end();
        }
    }

    /** The {@code traceparent} of a span, to store with what it made. */
    public String traceparent(Span span) {
        if (span == null || !span.getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        telemetry.propagator().inject(Context.root().with(span), out, Map::put);
        return out.get("traceparent");
    }

    /**
     * A span under a stored {@code traceparent} (the write that made a revision): pushing it to the
     * proxies. Null when not tracing or without a parent.
     */
    public Span startPush(String tenant, long revision, String traceparent) {
        if (!telemetry.tracing() || traceparent == null) {
            return null;
        }
        Context parent =
                telemetry
                        .propagator()
                        .extract(Context.root(), Map.of("traceparent", traceparent), MAP_GETTER);
        return telemetry
                .tracer()
                .spanBuilder("push revision")
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("wasmesh.tenant", tenant)
                .setAttribute("wasmesh.revision", revision)
                .startSpan();
    }

    static final TextMapGetter<Map<String, String>> MAP_GETTER =
            new TextMapGetter<>() {
                @SuppressWarnings("deprecation") // still what a propagator listing fields calls
                @Override
                public Iterable<String> keys(Map<String, String> carrier) {
                    return carrier.keySet();
                }

                @Override
                public String get(Map<String, String> carrier, String key) {
                    return carrier == null ? null : carrier.get(key);
                }
            };
}

package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.wasmesh.observability.Telemetry;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The proxy's instruments, made once: the HTTP server and client durations, Wasm call durations and
 * failures, config updates, and gauges of live instances and their memory. Spans are only built
 * when {@link Telemetry#tracing()} is on.
 */
public final class ProxyTelemetry {
    /** Seconds, from 0.5 ms to 10 s: requests and upstream calls. */
    private static final List<Double> HTTP_BUCKETS =
            List.of(
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    10.0);

    /** Seconds, from 1 µs to 1 s: a filter callback takes microseconds, a service milliseconds. */
    private static final List<Double> WASM_BUCKETS =
            List.of(
                    0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025,
                    0.0005, 0.001, 0.0025, 0.01, 0.1, 1.0);

    final Telemetry telemetry;
    final boolean tracing;
    final Tracer tracer;
    final TextMapPropagator propagator;
    final DoubleHistogram serverDuration;
    final DoubleHistogram clientDuration;
    final DoubleHistogram wasmCallDuration;
    final LongCounter wasmFailures;
    private final LongCounter configUpdates;

    public ProxyTelemetry(Telemetry telemetry) {
        this.telemetry = telemetry;
        this.tracing = telemetry.tracing();
        this.tracer = telemetry.tracer();
        this.propagator = telemetry.propagator();
        Meter meter = telemetry.meter();
        serverDuration =
                meter.histogramBuilder("http.server.request.duration")
                        .setUnit("s")
                        .setDescription("Duration of HTTP server requests.")
                        .setExplicitBucketBoundariesAdvice(HTTP_BUCKETS)
                        .build();
        clientDuration =
                meter.histogramBuilder("http.client.request.duration")
                        .setUnit("s")
                        .setDescription(
                                "Duration of HTTP client requests: upstream tries and http_calls.")
                        .setExplicitBucketBoundariesAdvice(HTTP_BUCKETS)
                        .build();
        wasmCallDuration =
                meter.histogramBuilder("wasmesh.wasm.call.duration")
                        .setUnit("s")
                        .setDescription(
                                "Duration of calls into Wasm: filter callbacks and services.")
                        .setExplicitBucketBoundariesAdvice(WASM_BUCKETS)
                        .build();
        wasmFailures =
                meter.counterBuilder("wasmesh.wasm.failures")
                        .setDescription(
                                "Wasm calls that trapped, overran their deadline or memory.")
                        .build();
        configUpdates =
                meter.counterBuilder("wasmesh.config.updates")
                        .setDescription("Pushed revisions applied (ack) or refused (nack).")
                        .build();
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    public boolean tracing() {
        return tracing;
    }

    /** Starts the telemetry of one request; on the event loop, before the exchange starts. */
    public RequestTrace begin(HeaderMap headers, TenantRuntime tenant, Route route, String method) {
        return new RequestTrace(this, headers, tenant, route, method);
    }

    /**
     * A guest's {@code proxy_http_call}: a CLIENT span under the span current on the calling thread
     * (the Wasm callback's, when traced), and its trace context in the outgoing headers.
     */
    public ClientCall httpCall(
            String tenant,
            String cluster,
            String host,
            int port,
            String method,
            io.vertx.core.MultiMap headers,
            boolean propagate) {
        return client(
                io.opentelemetry.context.Context.current(),
                tenant,
                cluster,
                "http_call",
                method,
                host,
                port,
                0,
                headers,
                propagate);
    }

    /**
     * A CLIENT call under {@code parent}: a span when the parent is recorded, and the trace headers
     * written into the outgoing ones ({@code propagate}) or removed from them.
     */
    ClientCall client(
            io.opentelemetry.context.Context parent,
            String tenant,
            String cluster,
            String call,
            String method,
            String host,
            int port,
            int resend,
            io.vertx.core.MultiMap headers,
            boolean propagate) {
        ClientAttributes base =
                clientAttributes
                        .computeIfAbsent(
                                tenant, k -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(
                                cluster, k -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(call, k -> new ClientAttributes(tenant, cluster, call));
        io.opentelemetry.api.trace.Span span = null;
        if (tracing && io.opentelemetry.api.trace.Span.fromContext(parent).isRecording()) {
            span =
                    tracer.spanBuilder(method)
                            .setParent(parent)
                            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
                            .setAllAttributes(base.base)
                            .setAttribute(TelemetryKeys.SERVER_ADDRESS, host)
                            .setAttribute(TelemetryKeys.SERVER_PORT, (long) port)
                            .setAttribute(TelemetryKeys.METHOD, method)
                            .startSpan();
            if (resend > 0) {
                span.setAttribute(TelemetryKeys.RESEND_COUNT, (long) resend);
            }
        }
        if (!propagate) {
            HeaderCarriers.TRACE_HEADERS.forEach(headers::remove);
        } else if (span != null) {
            propagator.inject(parent.with(span), headers, HeaderCarriers.TO_MULTI_MAP);
        }
        return new ClientCall(this, span, base);
    }

    /**
     * A call of a tenant's Wasm service under {@code parent} (a request, or the filter callback
     * whose {@code http_call} names the service): a span when the parent is traced, and its trace
     * context in the service's request headers (a WAGI service sees {@code HTTP_TRACEPARENT}).
     */
    /** Client call attributes by tenant, cluster and call kind: made once, not per request. */
    private final java.util.Map<
                    String, java.util.Map<String, java.util.Map<String, ClientAttributes>>>
            clientAttributes = new java.util.concurrent.ConcurrentHashMap<>();

    /** The attributes of one tenant's calls to one cluster, and of their answers by status. */
    static final class ClientAttributes {
        final Attributes base;
        private final java.util.concurrent.atomic.AtomicReferenceArray<Attributes> byStatus =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(600);

        ClientAttributes(String tenant, String cluster, String call) {
            this.base =
                    Attributes.of(
                            TelemetryKeys.TENANT,
                            tenant,
                            TelemetryKeys.CLUSTER,
                            cluster,
                            TelemetryKeys.CALL,
                            call);
        }

        Attributes answered(int status) {
            if (status < 100 || status >= 600) {
                return base.toBuilder().put(TelemetryKeys.STATUS, (long) status).build();
            }
            Attributes a = byStatus.get(status);
            if (a == null) {
                a = base.toBuilder().put(TelemetryKeys.STATUS, (long) status).build();
                byStatus.set(status, a);
            }
            return a;
        }

        Attributes failed(String errorType) {
            return base.toBuilder().put(TelemetryKeys.ERROR_TYPE, errorType).build();
        }
    }

    /** A service call's attributes by tenant and service: made once, not per request. */
    private final java.util.Map<String, java.util.Map<String, Attributes>> serviceAttributes =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ServiceCall service(
            String tenant,
            String name,
            HeaderMap requestHeaders,
            io.opentelemetry.context.Context parent) {
        Attributes attrs =
                serviceAttributes
                        .computeIfAbsent(
                                tenant, t -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(
                                name,
                                n ->
                                        Attributes.of(
                                                TelemetryKeys.TENANT,
                                                tenant,
                                                TelemetryKeys.PLUGIN,
                                                n,
                                                TelemetryKeys.PHASE,
                                                WasmPhase.SERVICE.label()));
        io.opentelemetry.api.trace.Span span = null;
        if (tracing && io.opentelemetry.api.trace.Span.fromContext(parent).isRecording()) {
            span =
                    tracer.spanBuilder("wasm service " + name)
                            .setParent(parent)
                            .setAllAttributes(attrs)
                            .startSpan();
            propagator.inject(parent.with(span), requestHeaders, HeaderCarriers.TO_HEADER_MAP);
        }
        return new ServiceCall(this, span, attrs, tenant, name);
    }

    /**
     * What a traced call of one plugin's callback puts on its span, per phase: made once per route,
     * so tracing a call costs the span itself, not string and attribute building.
     */
    public record CallSpans(String[] names, Attributes[] attributes) {
        public static CallSpans of(ProxyWasmPlugin p) {
            WasmPhase[] phases = WasmPhase.values();
            String[] names = new String[phases.length];
            Attributes[] attrs = new Attributes[phases.length];
            for (WasmPhase ph : phases) {
                names[ph.ordinal()] = "wasm " + ph.label() + " " + p.config().name();
                attrs[ph.ordinal()] =
                        Attributes.builder()
                                .put(TelemetryKeys.TENANT, p.config().tenant())
                                .put(TelemetryKeys.PLUGIN, p.config().name())
                                .put(TelemetryKeys.PHASE, ph.label())
                                .put(TelemetryKeys.DIGEST, p.module().digest().hex())
                                .build();
            }
            return new CallSpans(names, attrs);
        }
    }

    /**
     * A request the router answered itself, before any route (no tenant for the host, no route, the
     * tenant over its in-flight limit): still a request of the RED metrics, with {@code http.route}
     * {@code unmatched}.
     */
    public void unrouted(String tenant, String method, int status, long startNanos) {
        serverDuration.record(
                (System.nanoTime() - startNanos) / 1e9,
                Attributes.of(
                        TelemetryKeys.TENANT,
                        tenant == null ? "" : tenant,
                        TelemetryKeys.HTTP_ROUTE,
                        "unmatched",
                        TelemetryKeys.METHOD,
                        method,
                        TelemetryKeys.STATUS,
                        (long) status));
    }

    /** One attribute set per phase of a plugin's calls, built once per plugin. */
    public static Attributes[] callAttributes(String tenant, String plugin) {
        WasmPhase[] phases = WasmPhase.values();
        Attributes[] out = new Attributes[phases.length];
        for (WasmPhase p : phases) {
            out[p.ordinal()] =
                    Attributes.of(
                            TelemetryKeys.TENANT,
                            tenant,
                            TelemetryKeys.PLUGIN,
                            plugin,
                            TelemetryKeys.PHASE,
                            p.label());
        }
        return out;
    }

    /** Counts a Wasm failure of {@code plugin} (a trap, deadline, memory limit...). */
    public void failure(String tenant, String plugin, GuestFailure.Kind kind) {
        wasmFailures.add(
                1,
                Attributes.of(
                        TelemetryKeys.TENANT,
                        tenant,
                        TelemetryKeys.PLUGIN,
                        plugin,
                        TelemetryKeys.FAILURE,
                        TelemetryKeys.failure(kind)));
    }

    /**
     * The span of applying a pushed revision, a child of the push (and so of the API write that
     * made it) when the frame carries its {@code traceparent}; null when not tracing or without.
     */
    public io.opentelemetry.api.trace.Span applySpan(
            String tenant, long revision, String traceparent, String node) {
        if (!tracing || traceparent == null) {
            return null;
        }
        HeaderMap carrier = HeaderMap.of("traceparent", traceparent);
        io.opentelemetry.context.Context parent =
                propagator.extract(
                        io.opentelemetry.context.Context.root(),
                        carrier,
                        HeaderCarriers.FROM_HEADER_MAP);
        return tracer.spanBuilder("apply revision")
                .setParent(parent)
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.CONSUMER)
                .setAttribute(TelemetryKeys.TENANT, tenant)
                .setAttribute("wasmesh.revision", revision)
                .setAttribute("wasmesh.node", node)
                .startSpan();
    }

    /** A pushed revision applied ({@code ack}) or refused ({@code nack}). */
    public void configUpdate(String tenant, boolean applied) {
        configUpdates.add(
                1,
                Attributes.of(
                        TelemetryKeys.TENANT,
                        tenant,
                        TelemetryKeys.RESULT,
                        applied ? "ack" : "nack"));
    }

    /**
     * Gauges read at collection time from the snapshot in service: live instances and their memory
     * per tenant (proxy-wasm VMs of filters and services, and WAGI instances running a request).
     */
    public void watch(Supplier<ProxySnapshot> current) {
        Meter meter = telemetry.meter();
        meter.gaugeBuilder("wasmesh.wasm.instances")
                .ofLongs()
                .setDescription("Live Wasm instances.")
                .buildWithCallback(
                        m ->
                                footprints(current)
                                        .forEach(
                                                (t, f) ->
                                                        m.record(
                                                                f.vms(),
                                                                Attributes.of(
                                                                        TelemetryKeys.TENANT, t))));
        meter.gaugeBuilder("wasmesh.wasm.memory")
                .ofLongs()
                .setUnit("By")
                .setDescription("Linear memory of the live Wasm instances.")
                .buildWithCallback(
                        m ->
                                footprints(current)
                                        .forEach(
                                                (t, f) ->
                                                        m.record(
                                                                f.memoryBytes(),
                                                                Attributes.of(
                                                                        TelemetryKeys.TENANT, t))));
    }

    /**
     * The scheduler, read at collection time: its lowered long calls, and which tenants run in the
     * background tier (over their Wasm time budget).
     */
    public void watchScheduler(
            io.wasmesh.wasm.exec.WasmScheduler scheduler, Supplier<ProxySnapshot> current) {
        Meter meter = telemetry.meter();
        meter.counterBuilder("wasmesh.wasm.demotions")
                .setDescription(
                        "Guest calls lowered to the lowest priority for running long on a"
                                + " foreground worker.")
                .buildWithCallback(m -> m.record(scheduler.demotedCalls()));
        meter.gaugeBuilder("wasmesh.wasm.background")
                .ofLongs()
                .setDescription(
                        "1 while the tenant's Wasm runs in the background tier, below every other"
                                + " tenant's (its Wasm time budget is spent), else 0.")
                .buildWithCallback(
                        m -> {
                            ProxySnapshot s = current.get();
                            if (s == null) {
                                return;
                            }
                            for (String tenant : s.tenants().keySet()) {
                                m.record(
                                        scheduler.inBackground(tenant) ? 1 : 0,
                                        Attributes.of(TelemetryKeys.TENANT, tenant));
                            }
                        });
    }

    /** The applied revision of each pushed tenant, read at collection time. */
    public void watchRevisions(Supplier<Map<String, Long>> applied) {
        telemetry
                .meter()
                .gaugeBuilder("wasmesh.config.revision")
                .ofLongs()
                .setDescription("The revision this proxy runs, per pushed tenant.")
                .buildWithCallback(
                        m ->
                                applied.get()
                                        .forEach(
                                                (t, r) ->
                                                        m.record(
                                                                r,
                                                                Attributes.of(
                                                                        TelemetryKeys.TENANT, t))));
    }

    private static Map<String, ProxyWasmPlugin.Footprint> footprints(
            Supplier<ProxySnapshot> current) {
        Map<String, ProxyWasmPlugin.Footprint> out = new HashMap<>();
        ProxySnapshot s = current.get();
        if (s == null) {
            return out;
        }
        for (TenantRuntime t : s.tenants().values()) {
            int vms = 0;
            long bytes = 0;
            for (ProxyWasmPlugin p : t.plugins()) {
                ProxyWasmPlugin.Footprint f = p.footprint();
                vms += f.vms();
                bytes += f.memoryBytes();
            }
            for (var service : t.services().values()) {
                if (service instanceof io.wasmesh.proxy.service.WagiService) {
                    var wagi = (io.wasmesh.proxy.service.WagiService) service;
                    vms += wagi.liveInstances();
                    bytes += wagi.liveMemoryBytes();
                }
            }
            out.put(t.name(), new ProxyWasmPlugin.Footprint(vms, bytes));
        }
        return out;
    }
}

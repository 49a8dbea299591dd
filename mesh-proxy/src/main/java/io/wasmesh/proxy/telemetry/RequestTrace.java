package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.MultiMap;
import io.wasmesh.proxy.filter.WasmCallObserver;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.List;

/**
 * The telemetry of one request: its SERVER span (when traced), a span per Wasm call under it, a
 * CLIENT span per upstream try, and the duration metrics. Filter calls arrive on the stream's lane,
 * everything else on the event loop, one at a time: no field is touched by two threads at once.
 */
public final class RequestTrace implements WasmCallObserver {
    private final ProxyTelemetry t;
    private final long startNanos = System.nanoTime();
    private final String tenant;
    private final Route route;
    private final String method;
    private final Span server; // null when not traced
    private final Context context;
    private final Attributes[][] calls;
    private final List<ProxyWasmPlugin> plugins;
    private final ProxyTelemetry.CallSpans[] spans;
    private final RouteTelemetry routeTelemetry;
    private Span call; // the Wasm call in progress (lane)

    RequestTrace(
            ProxyTelemetry t, HeaderMap headers, TenantRuntime tenant, Route route, String method) {
        this.t = t;
        this.tenant = tenant.name();
        this.route = route;
        this.method = method;
        this.routeTelemetry = route.filters().telemetry();
        this.calls = routeTelemetry.callAttributes;
        this.plugins = route.filters().plugins();
        this.spans = routeTelemetry.callSpans;
        if (t.tracing) {
            Context parent =
                    t.propagator.extract(Context.root(), headers, HeaderCarriers.FROM_HEADER_MAP);
            server =
                    t.tracer
                            .spanBuilder(method + " " + route.httpRoute())
                            .setParent(parent)
                            .setSpanKind(SpanKind.SERVER)
                            .setAttribute(TelemetryKeys.TENANT, this.tenant)
                            .setAttribute(TelemetryKeys.ROUTE, route.name())
                            .setAttribute(TelemetryKeys.HTTP_ROUTE, route.httpRoute())
                            .setAttribute(TelemetryKeys.METHOD, method)
                            .setAttribute("url.path", headers.get(":path"))
                            .startSpan();
            context = parent.with(server);
        } else {
            server = null;
            context = null;
        }
    }

    /** Whether this request records spans (traced and sampled). */
    public boolean traced() {
        return server != null && server.isRecording();
    }

    // ---- filter callbacks, on the lane ----

    @Override
    public Scope enter(int plugin, WasmPhase phase) {
        if (!traced()) {
            return Scope.noop();
        }
        ProxyTelemetry.CallSpans s = spans[plugin];
        call =
                t.tracer
                        .spanBuilder(s.names()[phase.ordinal()])
                        .setParent(context)
                        .setAllAttributes(s.attributes()[phase.ordinal()])
                        .startSpan();
        return call.makeCurrent();
    }

    @Override
    public void exit(
            int plugin, WasmPhase phase, long start, FilterResult result, GuestFailure failure) {
        t.wasmCallDuration.record(
                (System.nanoTime() - start) / 1e9, calls[plugin][phase.ordinal()]);
        if (failure != null) {
            t.failure(tenant, plugins.get(plugin).config().name(), failure.kind());
        }
        Span s = call;
        if (s == null) {
            return;
        }
        call = null;
        s.setAttribute(TelemetryKeys.ACTION, action(result));
        if (failure != null) {
            s.setAttribute(TelemetryKeys.FAILURE, TelemetryKeys.failure(failure.kind()));
            s.setStatus(StatusCode.ERROR, failure.getMessage());
        }
        s.end();
    }

    private static String action(FilterResult r) {
        switch (r.action()) {
            case STOP:
                return "stop";
            case LOCAL_REPLY:
                return "local_reply";
            case RESET:
                return "reset";
            default:
                return "continue";
        }
    }

    // ---- upstream tries and services, on the event loop ----

    /**
     * One try to an upstream: a CLIENT span, and the trace context written into its headers when
     * {@code propagate}; when not, the client's own trace headers are removed too.
     *
     * @param resend 0 for the first try, then 1, 2, ...
     */
    public ClientCall upstream(
            String cluster,
            String host,
            int port,
            int resend,
            MultiMap headers,
            boolean propagate) {
        return t.client(
                traced() ? context : Context.root(),
                tenant,
                cluster,
                "upstream",
                method,
                host,
                port,
                resend,
                headers,
                propagate);
    }

    /** A call of a Wasm service: a span, and its trace context in the service's request headers. */
    public ServiceCall service(String name, HeaderMap requestHeaders) {
        return t.service(tenant, name, requestHeaders, traced() ? context : Context.root());
    }

    /** The request is answered ({@code status} < 0: reset). */
    public void end(int status) {
        Attributes attrs =
                status > 0
                        ? routeTelemetry.server(tenant, route.httpRoute(), method, status)
                        : Attributes.of(
                                TelemetryKeys.TENANT,
                                tenant,
                                TelemetryKeys.HTTP_ROUTE,
                                route.httpRoute(),
                                TelemetryKeys.METHOD,
                                method,
                                TelemetryKeys.ERROR_TYPE,
                                "reset");
        t.serverDuration.record((System.nanoTime() - startNanos) / 1e9, attrs);
        if (server != null) {
            if (status > 0) {
                server.setAttribute(TelemetryKeys.STATUS, (long) status);
            }
            if (status < 0 || status >= 500) {
                server.setStatus(StatusCode.ERROR);
            }
            server.end();
        }
    }
}

package io.wasmesh.controlplane.api;

import io.opentelemetry.api.trace.Span;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.wasmesh.controlplane.ControlPlaneTelemetry;
import io.wasmesh.controlplane.auth.Principal;
import io.wasmesh.controlplane.store.Origin;
import java.util.HashMap;
import java.util.Map;

/**
 * Times every API request by its route template ({@code /v1/tenants/:tenant/config}) and, when
 * tracing is on, makes its SERVER span; the span's {@code traceparent} travels with the revision a
 * write makes, so the proxies' apply spans join the write's trace.
 */
final class RequestTelemetry implements Handler<RoutingContext> {
    private static final String TRACEPARENT = "wasmesh.traceparent";
    private final ControlPlaneTelemetry telemetry;

    RequestTelemetry(ControlPlaneTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String method = ctx.request().method().name();
        Map<String, String> headers = new HashMap<>();
        for (String h : new String[] {"traceparent", "tracestate"}) {
            String v = ctx.request().getHeader(h);
            if (v != null) {
                headers.put(h, v);
            }
        }
        Span span = telemetry.startRequest(method, headers);
        if (span != null) {
            ctx.put(TRACEPARENT, telemetry.traceparent(span));
        }
        ctx.addEndHandler(
                v -> {
                    Route route = ctx.currentRoute();
                    String template =
                            route != null && route.getPath() != null && route.methods() != null
                                    ? route.getPath()
                                    : "unmatched";
                    telemetry.endRequest(
                            span, method, template, ctx.response().getStatusCode(), start);
                });
        ctx.next();
    }

    /** Who makes this change, in which trace. */
    static Origin origin(RoutingContext ctx) {
        Principal p = Authentication.principal(ctx);
        return new Origin(p.tokenId(), ctx.get(TRACEPARENT));
    }
}

package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one route's telemetry can make once, when the config loads, instead of per request: its
 * plugins' call attributes and span names, and the attributes of its answered requests by status
 * (GET, the common case; other methods are built per request).
 */
public final class RouteTelemetry {
    final Attributes[][] callAttributes;
    final ProxyTelemetry.CallSpans[] callSpans;
    private final AtomicReferenceArray<Attributes> getByStatus = new AtomicReferenceArray<>(600);

    private RouteTelemetry(Attributes[][] callAttributes, ProxyTelemetry.CallSpans[] callSpans) {
        this.callAttributes = callAttributes;
        this.callSpans = callSpans;
    }

    public static RouteTelemetry of(List<ProxyWasmPlugin> plugins) {
        Attributes[][] calls = new Attributes[plugins.size()][];
        ProxyTelemetry.CallSpans[] spans = new ProxyTelemetry.CallSpans[plugins.size()];
        for (int i = 0; i < calls.length; i++) {
            ProxyWasmPlugin p = plugins.get(i);
            calls[i] = ProxyTelemetry.callAttributes(p.config().tenant(), p.config().name());
            spans[i] = ProxyTelemetry.CallSpans.of(p);
        }
        return new RouteTelemetry(calls, spans);
    }

    /** The attributes of an answered request of this route (one tenant, one route template). */
    Attributes server(String tenant, String httpRoute, String method, int status) {
        boolean cached = status >= 100 && status < 600 && "GET".equals(method);
        Attributes a = cached ? getByStatus.get(status) : null;
        if (a == null) {
            a =
                    Attributes.of(
                            TelemetryKeys.TENANT, tenant,
                            TelemetryKeys.HTTP_ROUTE, httpRoute,
                            TelemetryKeys.METHOD, method,
                            TelemetryKeys.STATUS, (long) status);
            if (cached) {
                getByStatus.set(status, a);
            }
        }
        return a;
    }
}

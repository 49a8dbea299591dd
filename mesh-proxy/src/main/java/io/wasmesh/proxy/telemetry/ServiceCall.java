package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/** One service invocation: ends with the service's answer. */
public final class ServiceCall {
    private final ProxyTelemetry t;
    private final Span span;
    private final Attributes attrs;
    private final String tenant;
    private final String name;
    private final long startNanos = System.nanoTime();

    ServiceCall(ProxyTelemetry t, Span span, Attributes attrs, String tenant, String name) {
        this.t = t;
        this.span = span;
        this.attrs = attrs;
        this.tenant = tenant;
        this.name = name;
    }

    /** Makes the call's span current (nothing when not traced) while the service is asked. */
    public io.opentelemetry.context.Scope makeCurrent() {
        return span == null ? io.opentelemetry.context.Scope.noop() : span.makeCurrent();
    }

    /**
     * The service answered {@code status}; a typed failure says so in {@code
     * x-wasmesh-service-error} (the reason: {@code deadline_exceeded}, {@code memory_limit}...).
     */
    public void end(int status, HeaderMap headers) {
        t.wasmCallDuration.record((System.nanoTime() - startNanos) / 1e9, attrs);
        String reason = headers == null ? null : headers.get("x-wasmesh-service-error");
        GuestFailure.Kind kind = kindOf(reason);
        if (kind != null) {
            t.failure(tenant, name, kind);
        }
        if (span == null) {
            return;
        }
        span.setAttribute(TelemetryKeys.STATUS, (long) status);
        if (reason != null) {
            span.setAttribute(
                    TelemetryKeys.FAILURE, kind != null ? TelemetryKeys.failure(kind) : reason);
            span.setStatus(StatusCode.ERROR, reason);
        }
        span.end();
    }

    /** The service failed without an answer. */
    public void fail(Throwable e) {
        t.wasmCallDuration.record((System.nanoTime() - startNanos) / 1e9, attrs);
        if (span != null) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            span.end();
        }
    }

    private static GuestFailure.Kind kindOf(String reason) {
        if (reason == null) {
            return null;
        }
        String r = reason.startsWith("wasm_") ? reason.substring(5) : reason;
        if (r.equals("exit_code")) {
            return GuestFailure.Kind.EXIT;
        }
        for (GuestFailure.Kind k : GuestFailure.Kind.values()) {
            if (r.equalsIgnoreCase(k.name())) {
                return k;
            }
        }
        return null; // a failure that is not the guest's (a bad CGI answer, no answer...)
    }
}

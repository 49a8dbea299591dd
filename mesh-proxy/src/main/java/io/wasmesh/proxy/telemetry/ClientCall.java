package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** One upstream try or {@code http_call}: ends with a status or a failure. */
public final class ClientCall {
    private final ProxyTelemetry t;
    private final Span span;
    private final ProxyTelemetry.ClientAttributes base;
    private final long startNanos = System.nanoTime();
    private boolean ended;

    ClientCall(ProxyTelemetry t, Span span, ProxyTelemetry.ClientAttributes base) {
        this.t = t;
        this.span = span;
        this.base = base;
    }

    /** Answered with {@code status}. */
    public void end(int status) {
        finish(status, null);
    }

    /** Failed before an answer ({@code timeout}, {@code connect}, {@code reset}...). */
    public void fail(String errorType) {
        finish(-1, errorType);
    }

    private Attributes attributes(int status, String errorType) {
        return status > 0 ? base.answered(status) : base.failed(errorType);
    }

    private void finish(int status, String errorType) {
        if (ended) {
            return;
        }
        ended = true;
        t.clientDuration.record(
                (System.nanoTime() - startNanos) / 1e9, attributes(status, errorType));
        if (span != null) {
            if (status > 0) {
                span.setAttribute(TelemetryKeys.STATUS, (long) status);
            }
            if (status < 0 || status >= 400) {
                span.setStatus(StatusCode.ERROR, errorType == null ? "" : errorType);
                if (errorType != null) {
                    span.setAttribute(TelemetryKeys.ERROR_TYPE, errorType);
                }
            }
            span.end();
        }
    }
}

package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.spi.LogSink;

/**
 * A filter's log line with the trace it belongs to: when the callback that logs is traced, its span
 * is current on the lane, and the line gets {@code trace_id}, {@code span_id} and {@code tenant},
 * so a log search leads to the trace and back.
 */
public final class TraceLogSink implements LogSink {
    private final LogSink next;

    public TraceLogSink(LogSink next) {
        this.next = next;
    }

    @Override
    public void log(PluginConfig plugin, LogLevel level, String message) {
        next.log(plugin, level, withTrace(message, plugin.tenant()));
    }

    /** The line, ending with the current span's ids and the tenant when a span is current. */
    public static String withTrace(String line, String tenant) {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return line;
        }
        return line
                + " [trace_id="
                + span.getTraceId()
                + " span_id="
                + span.getSpanId()
                + " tenant="
                + tenant
                + "]";
    }
}

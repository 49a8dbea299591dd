package io.wasmesh.proxy.exchange;

import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * What the client is told when an upstream try failed before an answer and is not retried, with
 * Envoy's statuses and response details, so clients and dashboards read the same as behind Envoy.
 */
final class UpstreamFailures {
    private UpstreamFailures() {}

    /**
     * Why the pooled client could not open a try: its wait queue was full, or the connect failed.
     */
    static RetryRules.Failure ofOpening(Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("wait queue") ? RetryRules.Failure.OVERFLOW : RetryRules.Failure.CONNECT;
    }

    /** The local reply for a try that failed so. */
    static LocalReply replyFor(RetryRules.Failure failure) {
        switch (failure) {
            case TIMEOUT:
                return LocalReply.of(504, "upstream_per_try_timeout", "upstream request timeout\n");
            case OVERFLOW:
                return overloaded();
            default:
                return LocalReply.of(
                        503,
                        "upstream_reset_before_response_started",
                        "upstream connect error or disconnect/reset before headers\n");
        }
    }

    /**
     * The circuit breaker's or the pool's 503, marked as Envoy marks it {@code x-envoy-overloaded}.
     */
    static LocalReply overloaded() {
        return new LocalReply(
                503,
                "upstream_overflow",
                "upstream overloaded\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                HeaderMap.of("content-type", "text/plain", "x-wasmesh-overloaded", "true"),
                -1);
    }
}

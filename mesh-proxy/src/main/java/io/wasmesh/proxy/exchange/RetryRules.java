package io.wasmesh.proxy.exchange;

import io.wasmesh.config.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;

/** Envoy's retry rules: which failed tries a policy retries, and how long to wait first. */
final class RetryRules {
    /** How a try failed before an answer came, or null when the upstream answered. */
    enum Failure {
        CONNECT,
        RESET,
        TIMEOUT,
        OVERFLOW
    }

    private RetryRules() {}

    /**
     * Whether {@code policy} retries a try that ended in {@code failure} (null: it answered with
     * {@code status}). A pool overflow is never retried: it is the proxy's own limit.
     */
    static boolean retriable(RetryPolicy policy, Failure failure, int status) {
        if (policy == null || failure == Failure.OVERFLOW) {
            return false;
        }
        for (String on : policy.retryOn()) {
            if (matches(on, policy, failure, status)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String on, RetryPolicy policy, Failure failure, int status) {
        switch (on) {
            case "5xx":
                return failure != null || status >= 500;
            case "gateway-error":
                return failure == Failure.TIMEOUT
                        || failure == Failure.CONNECT
                        || status == 502
                        || status == 503
                        || status == 504;
            case "connect-failure":
                return failure == Failure.CONNECT;
            case "reset":
                return failure == Failure.RESET || failure == Failure.TIMEOUT;
            case "retriable-status-codes":
                return failure == null && policy.retriableStatusCodes().contains(status);
            default:
                return false;
        }
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): random up to base *
     * 2^(retry-1), capped at the policy's max (Envoy's fully jittered exponential backoff).
     */
    static long backoffMillis(RetryPolicy policy, int retry) {
        long ceiling =
                Math.min(
                        policy.backoffMax().toMillis(),
                        policy.backoffBase().toMillis() << Math.min(20, retry - 1));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}

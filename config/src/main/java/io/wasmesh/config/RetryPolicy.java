package io.wasmesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a route retries failed upstream requests, with Envoy's names and defaults.
 *
 * @param attempts retries after the first try, 0..10; a file that leaves it out gets 1
 * @param retryOn what is retried: {@code 5xx}, {@code gateway-error}, {@code reset}, {@code
 *     connect-failure}, {@code retriable-status-codes}, {@code refused-stream}; default {@code
 *     [connect-failure, reset, 5xx]}
 * @param retriableStatusCodes the statuses retried with {@code retriable-status-codes}; default
 *     none
 * @param perTryTimeout the most time one try may take, or {@code null} for the route's timeout
 * @param backoffBase the first backoff, doubled each retry; default 25 ms
 * @param backoffMax the longest backoff; default 250 ms
 */
public record RetryPolicy(
        int attempts,
        List<String> retryOn,
        List<Integer> retriableStatusCodes,
        Duration perTryTimeout,
        Duration backoffBase,
        Duration backoffMax) {

    /** What is retried when a policy does not say. */
    public static final List<String> DEFAULT_RETRY_ON = List.of("connect-failure", "reset", "5xx");

    public RetryPolicy {
        retryOn = retryOn == null ? DEFAULT_RETRY_ON : List.copyOf(retryOn);
        retriableStatusCodes = Immutables.list(retriableStatusCodes);
        backoffBase = Objects.requireNonNullElse(backoffBase, Duration.ofMillis(25));
        backoffMax = Objects.requireNonNullElse(backoffMax, Duration.ofMillis(250));
    }
}

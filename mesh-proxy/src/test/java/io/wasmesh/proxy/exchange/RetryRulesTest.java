package io.wasmesh.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.config.RetryPolicy;
import io.wasmesh.proxy.exchange.RetryRules.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failed tries a retry policy retries (Envoy's retry_on), and the backoff. */
class RetryRulesTest {
    static RetryPolicy on(String... conditions) {
        return new RetryPolicy(2, List.of(conditions), List.of(409), null, null, null);
    }

    @ParameterizedTest(name = "retryOn {0}: {1} {2} -> {3}")
    @CsvSource(
            nullValues = "none",
            value = {
                "5xx,                    none,     503, true",
                "5xx,                    none,     404, false",
                "5xx,                    RESET,    -1,  true",
                "gateway-error,          none,     502, true",
                "gateway-error,          none,     500, false",
                "gateway-error,          TIMEOUT,  -1,  true",
                "connect-failure,        CONNECT,  -1,  true",
                "connect-failure,        RESET,    -1,  false",
                "reset,                  RESET,    -1,  true",
                "reset,                  none,     503, false",
                "retriable-status-codes, none,     409, true",
                "retriable-status-codes, none,     410, false",
                "5xx,                    OVERFLOW, -1,  false",
            })
    void retriable(String condition, Failure failure, int status, boolean expected) {
        assertThat(RetryRules.retriable(on(condition), failure, status)).isEqualTo(expected);
    }

    @Test
    void noPolicyRetriesNothing() {
        assertThat(RetryRules.retriable(null, Failure.CONNECT, -1)).isFalse();
    }

    @Test
    void backoffIsJitteredUpToBaseTimesTwoToTheRetryCappedAtMax() {
        RetryPolicy p =
                new RetryPolicy(5, null, null, null, Duration.ofMillis(25), Duration.ofMillis(250));
        for (int i = 0; i < 200; i++) {
            assertThat(RetryRules.backoffMillis(p, 1)).isBetween(0L, 25L);
            assertThat(RetryRules.backoffMillis(p, 3)).isBetween(0L, 100L);
            assertThat(RetryRules.backoffMillis(p, 10)).isBetween(0L, 250L);
        }
    }
}

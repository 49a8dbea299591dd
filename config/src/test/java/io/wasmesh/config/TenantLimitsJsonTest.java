package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator's limits of a tenant, on their own. */
class TenantLimitsJsonTest {

    @Test
    void absentFieldsTakeTheirDefaults() throws ConfigException {
        assertThat(ConfigLoader.parseLimits("{}", "limits.json")).isEqualTo(TenantLimits.DEFAULT);
        assertThat(ConfigLoader.parseLimits("{\"wasmWorkers\": 2}", "limits.json"))
                .isEqualTo(
                        new TenantLimits(
                                256,
                                Duration.ofMillis(100),
                                1 << 20,
                                1 << 20,
                                1000,
                                16 << 20,
                                2,
                                Duration.ZERO));
    }

    @Test
    void theDefaultsAsJson() {
        assertThat(TenantLimits.DEFAULT.toJson())
                .isEqualTo(
                        """
                        {
                          "maxMemoryPages" : 256,
                          "callDeadline" : "100ms",
                          "maxRequestBodyBytes" : 1048576,
                          "maxResponseBodyBytes" : 1048576,
                          "maxConcurrentRequests" : 1000,
                          "sharedDataBytes" : 16777216,
                          "wasmWorkers" : 0,
                          "cpuPerSecond" : "0s"
                        }""");
    }

    @Test
    void limitsLoadBackFromTheirJson() throws ConfigException {
        TenantLimits limits =
                new TenantLimits(
                        65536,
                        Duration.ofMinutes(2),
                        1L << 40,
                        3,
                        1,
                        0,
                        1024,
                        Duration.ofNanos(1_500_000_001));

        assertThat(ConfigLoader.parseLimits(limits.toJson(), "limits.json")).isEqualTo(limits);
        assertThat(ConfigLoader.parseLimits(TenantLimits.DEFAULT.toJson(), "d.json"))
                .isEqualTo(TenantLimits.DEFAULT);
    }

    @Test
    void badLimitsAreEachReported() {
        assertThat(
                        ConfigLoaderErrors.of(
                                () ->
                                        ConfigLoader.parseLimits(
                                                """
                                                {"maxMemoryPages": 0,
                                                 "callDeadline": "0s",
                                                 "cpuPerSecond": "fast",
                                                 "wasmWorker": 2}
                                                """,
                                                "limits.json")))
                .containsExactly(
                        "limits.json:1:20: maxMemoryPages: must be at least 1",
                        "limits.json:2:18: callDeadline: must be a positive duration: a number and"
                                + " a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h",
                        "limits.json:3:18: cpuPerSecond: must be a duration: a non-negative number"
                                + " and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h",
                        "limits.json:4:2: wasmWorker: unknown field 'wasmWorker' (did you mean"
                                + " 'wasmWorkers'?)");
    }
}

package io.wasmesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Active probing of a cluster's endpoints with {@code GET path}. In Java, a 0 threshold means the
 * default.
 *
 * @param path the path probed (required)
 * @param interval the time between probes of one endpoint; default 5 s
 * @param timeout the most time a probe may take; default 1 s
 * @param unhealthyThreshold failed probes in a row that mark an endpoint unhealthy; default 3
 * @param healthyThreshold passed probes in a row that mark it healthy again; default 2
 * @param expectedStatuses the statuses that pass; default {@code [200]}
 */
public record HealthCheck(
        String path,
        Duration interval,
        Duration timeout,
        int unhealthyThreshold,
        int healthyThreshold,
        List<Integer> expectedStatuses) {

    public HealthCheck {
        interval = Objects.requireNonNullElse(interval, Duration.ofSeconds(5));
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(1));
        unhealthyThreshold = unhealthyThreshold == 0 ? 3 : unhealthyThreshold;
        healthyThreshold = healthyThreshold == 0 ? 2 : healthyThreshold;
        expectedStatuses = expectedStatuses == null ? List.of(200) : List.copyOf(expectedStatuses);
    }
}

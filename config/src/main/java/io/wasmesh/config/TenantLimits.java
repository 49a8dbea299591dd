package io.wasmesh.config;

import io.wasmesh.config.internal.bind.ModelMapper;
import java.time.Duration;
import java.util.Objects;

/**
 * What a tenant's Wasm may use. In Java, a 0 where 0 is not allowed (pages, concurrent requests)
 * means the default; a file that leaves a field out gets the default.
 *
 * @param maxMemoryPages the most linear memory of one instance, in 64 KiB pages; default 256 (16
 *     MiB)
 * @param callDeadline the wall-clock time one call into Wasm may take; default 100 ms
 * @param maxRequestBodyBytes the largest request body accepted; default 1 MiB
 * @param maxResponseBodyBytes the largest response body a Wasm service may answer or a filter may
 *     buffer; default 1 MiB (responses streamed from an upstream are not limited)
 * @param maxConcurrentRequests the most requests in flight; default 1000
 * @param sharedDataBytes the most proxy-wasm shared data kept; default 16 MiB
 * @param wasmWorkers the most Wasm workers occupied at once; 0 (the default) leaves it to the
 *     scheduler
 * @param cpuPerSecond the Wasm time (filters and services) the tenant may use per second of wall
 *     time; when it is spent, its services answer 503 until it refills; 0s (the default) is no
 *     budget
 */
public record TenantLimits(
        int maxMemoryPages,
        Duration callDeadline,
        long maxRequestBodyBytes,
        long maxResponseBodyBytes,
        int maxConcurrentRequests,
        long sharedDataBytes,
        int wasmWorkers,
        Duration cpuPerSecond) {

    /** Every limit at its default. */
    public static final TenantLimits DEFAULT =
            new TenantLimits(
                    256,
                    Duration.ofMillis(100),
                    1 << 20,
                    1 << 20,
                    1000,
                    16 << 20,
                    0,
                    Duration.ZERO);

    public TenantLimits {
        maxMemoryPages = maxMemoryPages == 0 ? 256 : maxMemoryPages;
        callDeadline = Objects.requireNonNullElse(callDeadline, Duration.ofMillis(100));
        maxConcurrentRequests = maxConcurrentRequests == 0 ? 1000 : maxConcurrentRequests;
        cpuPerSecond = Objects.requireNonNullElse(cpuPerSecond, Duration.ZERO);
    }

    /**
     * The limits as pretty JSON, every field given, as a tenant's {@code limits} holds them. {@link
     * ConfigLoader#parseLimits} reads them back into equal limits.
     */
    public String toJson() {
        return ModelMapper.write(this);
    }
}

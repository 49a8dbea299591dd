package io.wasmesh.wasm.engine;

import java.time.Duration;

/**
 * What one instance may use. Memory is capped in 64 KiB pages below the module's own declared
 * maximum; the deadline bounds the wall-clock time of each call into the guest (measured on a
 * dedicated Wasm worker, so it is the guest's own time plus host calls it makes).
 *
 * @param maxMemoryPages the most pages memory 0 may grow to
 * @param callDeadline how long one guest call may run before it is interrupted
 */
public record InstanceLimits(int maxMemoryPages, Duration callDeadline) {

    /**
     * 16 MiB and 100 ms: generous for filters, small enough that a runaway guest is noticed
     * quickly.
     */
    public static final InstanceLimits DEFAULT = new InstanceLimits(256, Duration.ofMillis(100));

    public InstanceLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > 32767) {
            throw new IllegalArgumentException(
                    "maxMemoryPages: " + maxMemoryPages + " (expected: 1..32767)");
        }
        if (callDeadline.isNegative() || callDeadline.isZero()) {
            throw new IllegalArgumentException(
                    "callDeadline: " + callDeadline + " (expected: > 0)");
        }
    }

    public InstanceLimits withMaxMemoryPages(int pages) {
        return new InstanceLimits(pages, callDeadline);
    }

    public InstanceLimits withCallDeadline(Duration deadline) {
        return new InstanceLimits(maxMemoryPages, deadline);
    }
}

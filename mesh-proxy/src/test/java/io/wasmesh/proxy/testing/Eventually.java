package io.wasmesh.proxy.testing;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that background work (health checks) makes true, by polling it: the test
 * fails with {@code what} if it has not held within the time limit.
 */
public final class Eventually {
    private Eventually() {}

    public static void holds(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }
}

package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.engine.GuestFailure;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one plugin: VMs started and released, failures by kind, requests failed closed or
 * passed open.
 */
public final class PluginStats {
    private final LongAdder vmsStarted = new LongAdder();
    private final LongAdder vmsReleased = new LongAdder();
    private final LongAdder failedClosed = new LongAdder();
    private final LongAdder failedOpen = new LongAdder();
    private final Map<GuestFailure.Kind, LongAdder> failures =
            new EnumMap<>(GuestFailure.Kind.class);

    PluginStats() {
        for (GuestFailure.Kind k : GuestFailure.Kind.values()) {
            failures.put(k, new LongAdder());
        }
    }

    void vmReleased() {
        vmsReleased.increment();
    }

    void vmStarted() {
        vmsStarted.increment();
    }

    void failure(GuestFailure.Kind kind) {
        failures.get(kind).increment();
    }

    void failedClosed() {
        failedClosed.increment();
    }

    void failedOpen() {
        failedOpen.increment();
    }

    /** VMs closed because they sat idle (they are rebuilt on demand). */
    public long vmsReleased() {
        return vmsReleased.sum();
    }

    public long vmsStarted() {
        return vmsStarted.sum();
    }

    public long failures(GuestFailure.Kind kind) {
        return failures.get(kind).sum();
    }

    public long requestsFailedClosed() {
        return failedClosed.sum();
    }

    public long requestsFailedOpen() {
        return failedOpen.sum();
    }
}

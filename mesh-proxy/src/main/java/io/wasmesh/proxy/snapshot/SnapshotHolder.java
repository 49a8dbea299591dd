package io.wasmesh.proxy.snapshot;

import java.util.concurrent.atomic.AtomicReference;

/** The snapshot serving new requests, swapped atomically. */
public final class SnapshotHolder {
    private final AtomicReference<ProxySnapshot> current = new AtomicReference<>();

    /**
     * The current snapshot with a reference taken for the caller, who must {@link
     * ProxySnapshot#release()} it; null before the first snapshot.
     */
    public ProxySnapshot acquire() {
        while (true) {
            ProxySnapshot s = current.get();
            if (s == null || s.retain()) {
                return s;
            }
            // Lost a race with a swap that closed s: the new one is already in place.
        }
    }

    /** The current snapshot, without a reference: for reading its config and revision only. */
    public ProxySnapshot peek() {
        return current.get();
    }

    /** Puts {@code next} in service; the previous one closes once its requests are done. */
    public void swap(ProxySnapshot next) {
        ProxySnapshot previous = current.getAndSet(next);
        if (previous != null) {
            previous.release();
        }
    }

    /** Takes the snapshot out of service (shutdown). */
    public void clear() {
        swap(null);
    }
}

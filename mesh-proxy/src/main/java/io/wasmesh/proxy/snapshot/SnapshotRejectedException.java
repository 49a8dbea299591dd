package io.wasmesh.proxy.snapshot;

import java.util.List;

/** A config that passed validation but could not be put in service: every reason, one per line. */
public final class SnapshotRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;

    public SnapshotRejectedException(List<String> reasons) {
        super(String.join("\n", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}

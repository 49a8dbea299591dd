package io.wasmesh.controlplane.store;

import java.io.Serializable;
import java.util.List;

/**
 * What an update of a tenant record did, returned from the partition owner.
 *
 * @param revision the active revision after the update (or the current one when refused)
 * @param details what was missing or in the way, for the error message
 */
public record Outcome(Status status, long revision, List<String> details) implements Serializable {

    public enum Status {
        DONE,
        /** Nothing to do: it was already so (a module uploaded twice). */
        UNCHANGED,
        NO_TENANT,
        TENANT_EXISTS,
        /** {@code If-Match} named another revision than the active one. */
        STALE,
        MODULES_MISSING,
        QUOTA_EXCEEDED,
        MODULE_IN_USE,
        NO_MODULE,
        NO_REVISION,
        /** A domain belongs to another tenant. */
        DOMAIN_TAKEN
    }

    public static Outcome of(Status status, long revision) {
        return new Outcome(status, revision, List.of());
    }

    public boolean ok() {
        return status == Status.DONE || status == Status.UNCHANGED;
    }
}

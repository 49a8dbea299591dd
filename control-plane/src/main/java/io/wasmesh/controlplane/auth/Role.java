package io.wasmesh.controlplane.auth;

import java.util.Locale;

/** What a token may do. */
public enum Role {
    /** Manages tenants, quotas and tokens; sees every tenant. */
    OPERATOR,
    /** Manages its own tenant's modules and config. */
    TENANT,
    /** A data-plane proxy: receives revisions and downloads modules. */
    PROXY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}

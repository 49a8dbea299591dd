package io.wasmesh.controlplane.store;

import java.util.List;

/** The Hazelcast maps of the control plane; see {@code docs/control-plane.md}. */
public final class MapNames {
    public static final String TENANTS = "wasmesh.tenants";
    public static final String DOCUMENTS = "wasmesh.documents";
    public static final String MODULES = "wasmesh.modules";
    public static final String TOKENS = "wasmesh.tokens";
    public static final String DOMAINS = "wasmesh.domains";
    public static final String PROXIES = "wasmesh.proxies";

    /** The maps kept write-through in the persistent store; proxies' live state is not. */
    public static final List<String> PERSISTED =
            List.of(TENANTS, DOCUMENTS, MODULES, TOKENS, DOMAINS);

    private MapNames() {}
}

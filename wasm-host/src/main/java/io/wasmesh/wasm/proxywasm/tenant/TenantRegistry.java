package io.wasmesh.wasm.proxywasm.tenant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link TenantState} of every tenant on this host, created on first use. */
public final class TenantRegistry {
    private final Map<String, TenantState> tenants = new ConcurrentHashMap<>();
    private final TenantState.Quotas quotas;

    public TenantRegistry() {
        this(TenantState.Quotas.DEFAULT);
    }

    public TenantRegistry(TenantState.Quotas quotas) {
        this.quotas = quotas;
    }

    public TenantState tenant(String name) {
        return tenants.computeIfAbsent(name, n -> new TenantState(n, quotas));
    }
}

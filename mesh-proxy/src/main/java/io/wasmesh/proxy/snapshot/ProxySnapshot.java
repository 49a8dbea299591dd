package io.wasmesh.proxy.snapshot;

import io.wasmesh.config.MeshConfig;
import io.wasmesh.proxy.tenant.TenantIndex;
import io.wasmesh.proxy.tenant.TenantRuntime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One immutable, versioned whole of the proxy's config, ready to serve. Requests hold a reference
 * for their whole life: a new snapshot swapped in serves new requests while in-flight ones finish
 * on this one, which closes its plugins and clusters when the last of them lets go.
 */
public final class ProxySnapshot {
    private final long revision;
    private final MeshConfig config;
    private final Instant loadedAt = Instant.now();
    private final Map<String, TenantRuntime> tenants;
    private final TenantIndex<TenantRuntime> index;
    private final AtomicInteger references = new AtomicInteger(1); // the holder's

    ProxySnapshot(long revision, MeshConfig config, List<TenantRuntime> tenants) {
        this.revision = revision;
        this.config = config;
        Map<String, TenantRuntime> byName = new LinkedHashMap<>();
        Map<TenantRuntime, List<String>> domains = new LinkedHashMap<>();
        for (TenantRuntime t : tenants) {
            byName.put(t.name(), t);
            domains.put(t, t.config().domains());
        }
        this.tenants = java.util.Collections.unmodifiableMap(byName);
        this.index = new TenantIndex<>(domains);
    }

    public long revision() {
        return revision;
    }

    public MeshConfig config() {
        return config;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public Map<String, TenantRuntime> tenants() {
        return tenants;
    }

    /** The tenant owning this authority, or null. */
    public TenantRuntime tenantFor(String authority) {
        return index.find(authority);
    }

    /** Takes a reference; false when the snapshot is already closed. */
    boolean retain() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Lets go of a reference; the last one lets go of the snapshot's tenants. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            tenants.values().forEach(TenantRuntime::release);
        }
    }
}

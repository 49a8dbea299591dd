package io.wasmesh.controlplane.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.wasmesh.controlplane.store.Outcome.Status;
import io.wasmesh.controlplane.store.TenantRecord.ModuleInfo;

/**
 * Tenants' module bytes ({@code tenant/sha256} → bytes) and their index in the tenant record.
 * Upload and delete of one module hold the module key's lock, so a delete cannot remove the bytes
 * of an upload that is re-adding the same module. Blocking: call it off the event loop.
 */
public final class ModuleStore {
    private final IMap<String, byte[]> tenants;
    private final IMap<String, byte[]> modules;

    public ModuleStore(HazelcastInstance hz) {
        this.tenants = hz.getMap(MapNames.TENANTS);
        this.modules = hz.getMap(MapNames.MODULES);
    }

    /**
     * Stores a validated module: bytes first, then the index (quota checked there).
     *
     * @return {@code DONE}, {@code UNCHANGED} (already there), {@code QUOTA_EXCEEDED}, {@code
     *     NO_TENANT}
     */
    public Outcome put(String tenant, ModuleInfo info, byte[] bytes) {
        String key = ContentKeys.of(tenant, info.sha256());
        modules.lock(key);
        try {
            modules.set(key, bytes);
            Outcome o = tenants.executeOnKey(tenant, new TenantUpdates.AddModule(info));
            if (!o.ok()) {
                modules.delete(key);
            }
            return o;
        } finally {
            modules.unlock(key);
        }
    }

    /** The module's bytes, or null. Whether the tenant may see them is the caller's check. */
    public byte[] bytes(String tenant, String sha256) {
        return modules.get(ContentKeys.of(tenant, sha256));
    }

    /**
     * @return {@code DONE}, {@code NO_MODULE}, {@code MODULE_IN_USE}, {@code NO_TENANT}
     */
    public Outcome delete(String tenant, String sha256) {
        String key = ContentKeys.of(tenant, sha256);
        modules.lock(key);
        try {
            Outcome o = tenants.executeOnKey(tenant, new TenantUpdates.RemoveModule(sha256));
            if (o.status() == Status.DONE) {
                modules.delete(key);
            }
            return o;
        } finally {
            modules.unlock(key);
        }
    }

    /** Removes every module of a deleted tenant. */
    public void deleteAll(String tenant) {
        TenantStore.removeByPrefix(modules, tenant);
    }
}

package io.wasmesh.wasm.proxywasm.tenant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One tenant's proxy-wasm shared key-value data, with Envoy's semantics: keys live in a namespace
 * per {@code vm_id}; every write gets a new, never-zero CAS; a write with a non-zero CAS fails on
 * an existing key whose CAS differs; a write to a missing key ignores the CAS. Bounded per tenant
 * so one tenant cannot fill the heap.
 */
public final class SharedData {
    /** What a read returns. */
    public record Entry(byte[] value, long cas) {}

    /** Outcome of a write. */
    public enum SetResult {
        OK,
        CAS_MISMATCH,
        OVER_QUOTA
    }

    private static final AtomicLong CAS = new AtomicLong();

    private final Map<String, Map<String, Entry>> namespaces = new ConcurrentHashMap<>();
    private final AtomicLong bytesUsed = new AtomicLong();
    private volatile long maxBytes;

    public SharedData(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Changes the quota (a config reload). Data already kept stays; writes that would grow past the
     * new quota are refused.
     */
    public void setMaxBytes(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** CAS values cross the ABI as u32 and 0 means "no CAS": wrap, skipping 0. */
    private static long nextCas() {
        long cas;
        do {
            cas = CAS.incrementAndGet() & 0xFFFF_FFFFL;
        } while (cas == 0);
        return cas;
    }

    public Entry get(String vmId, String key) {
        Map<String, Entry> ns = namespaces.get(vmId);
        return ns == null ? null : ns.get(key);
    }

    public SetResult set(String vmId, String key, byte[] value, long cas) {
        Map<String, Entry> ns = namespaces.computeIfAbsent(vmId, k -> new ConcurrentHashMap<>());
        AtomicReference<SetResult> result = new AtomicReference<>(SetResult.OK);
        ns.compute(
                key,
                (k, old) -> {
                    if (old != null && cas != 0 && old.cas() != cas) {
                        result.set(SetResult.CAS_MISMATCH);
                        return old;
                    }
                    long delta = value.length - (old == null ? -k.length() : old.value().length);
                    if (delta > 0 && bytesUsed.get() + delta > maxBytes) {
                        result.set(SetResult.OVER_QUOTA);
                        return old;
                    }
                    bytesUsed.addAndGet(delta);
                    return new Entry(value.clone(), nextCas());
                });
        return result.get();
    }

    public long bytesUsed() {
        return bytesUsed.get();
    }
}

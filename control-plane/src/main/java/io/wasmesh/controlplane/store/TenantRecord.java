package io.wasmesh.controlplane.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a tenant owns that must change together, in one entry of {@link MapNames#TENANTS} so
 * one entry processor changes it atomically: the operator's settings, the module index (for quota
 * and in-use checks) and the revision history.
 *
 * @param name the tenant's name, a DNS label
 * @param domains the hosts it owns (claimed in {@link MapNames#DOMAINS})
 * @param limits its limits as the config schema's {@code limits} object, canonical JSON
 * @param quota what it may store
 * @param modules its modules by sha256
 * @param revisions its last {@link #KEPT_REVISIONS} revisions, oldest first; the last is active
 * @param createdAt ISO-8601
 */
public record TenantRecord(
        String name,
        List<String> domains,
        String limits,
        Quota quota,
        Map<String, ModuleInfo> modules,
        List<Revision> revisions,
        String createdAt) {

    public static final int KEPT_REVISIONS = 100;

    public TenantRecord {
        domains = List.copyOf(Objects.requireNonNullElse(domains, List.of()));
        quota = Objects.requireNonNullElse(quota, Quota.DEFAULT);
        modules = new LinkedHashMap<>(Objects.requireNonNullElse(modules, Map.of()));
        revisions = List.copyOf(Objects.requireNonNullElse(revisions, List.of()));
    }

    /** The active revision: the newest. */
    public Revision active() {
        return revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
    }

    public long activeNumber() {
        Revision r = active();
        return r == null ? 0 : r.number();
    }

    public Revision revision(long number) {
        return revisions.stream().filter(r -> r.number() == number).findFirst().orElse(null);
    }

    public long moduleBytes() {
        return modules.values().stream().mapToLong(ModuleInfo::size).sum();
    }

    /**
     * @param moduleBytes the most module bytes stored
     * @param modules the most modules stored
     */
    public record Quota(long moduleBytes, int modules) implements java.io.Serializable {
        public static final Quota DEFAULT = new Quota(64L << 20, 100);
    }

    /**
     * @param kind {@code proxy-wasm} or {@code wasi-command}
     */
    public record ModuleInfo(String sha256, long size, String kind, String name, String uploadedAt)
            implements java.io.Serializable {}

    /**
     * One immutable, numbered whole of the tenant's config.
     *
     * @param document the key of its document in {@link MapNames#DOCUMENTS}
     * @param format {@code yaml} or {@code json}
     * @param modules the digests it references
     * @param domains the operator's domains at that revision
     * @param limits the operator's limits at that revision
     * @param reason why it was made: {@code created}, {@code apply}, {@code rollback to N}, {@code
     *     settings}
     * @param author the id of the token that made it
     * @param traceparent the W3C trace context of the request that made it, or null
     */
    public record Revision(
            long number,
            String document,
            String format,
            List<String> modules,
            List<String> domains,
            String limits,
            String createdAt,
            String reason,
            String author,
            String traceparent) {
        public Revision {
            modules = List.copyOf(Objects.requireNonNullElse(modules, List.of()));
            domains = List.copyOf(Objects.requireNonNullElse(domains, List.of()));
        }
    }
}

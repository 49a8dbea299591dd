package io.wasmesh.controlplane.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.wasmesh.controlplane.store.Outcome.Status;
import io.wasmesh.controlplane.store.TenantRecord.Quota;
import io.wasmesh.controlplane.store.TenantRecord.Revision;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tenants, their domains and their config revisions. Blocking (Hazelcast calls): call it off the
 * event loop.
 */
public final class TenantStore {
    private final IMap<String, byte[]> tenants;
    private final IMap<String, byte[]> documents;
    private final IMap<String, byte[]> domains; // domain → owning tenant's name, UTF-8
    private final Clock clock;

    public TenantStore(HazelcastInstance hz, Clock clock) {
        this.tenants = hz.getMap(MapNames.TENANTS);
        this.documents = hz.getMap(MapNames.DOCUMENTS);
        this.domains = hz.getMap(MapNames.DOMAINS);
        this.clock = clock;
    }

    public TenantRecord get(String name) {
        return StoredJson.read(tenants.get(name), TenantRecord.class);
    }

    public List<TenantRecord> list() {
        List<TenantRecord> out = new ArrayList<>();
        for (byte[] v : tenants.values()) {
            out.add(StoredJson.read(v, TenantRecord.class));
        }
        out.sort(Comparator.comparing(TenantRecord::name));
        return out;
    }

    public StoredDocument document(String tenant, Revision revision) {
        return StoredJson.read(documents.get(revision.document()), StoredDocument.class);
    }

    /**
     * Creates a tenant at revision 1 with an empty document.
     *
     * @return {@code TENANT_EXISTS}, or {@code DOMAIN_TAKEN} with the taken domains in the details
     */
    public Outcome create(
            String name, List<String> domainList, String limits, Quota quota, Origin origin) {
        List<String> taken = claim(name, domainList);
        if (!taken.isEmpty()) {
            return new Outcome(Status.DOMAIN_TAKEN, 0, taken);
        }
        String now = clock.instant().toString();
        String docKey = store(name, new StoredDocument("yaml", ""));
        Revision first =
                new Revision(
                        1,
                        docKey,
                        "yaml",
                        List.of(),
                        domainList,
                        limits,
                        now,
                        "created",
                        origin.author(),
                        origin.traceparent());
        TenantRecord record =
                new TenantRecord(name, domainList, limits, quota, Map.of(), List.of(first), now);
        Outcome o = tenants.executeOnKey(name, new TenantUpdates.Create(record));
        if (!o.ok()) {
            release(name, domainList);
        }
        return o;
    }

    /**
     * Changes the operator's settings; new domains are claimed first and dropped ones released
     * after.
     *
     * @return {@code DOMAIN_TAKEN} with the taken domains when one belongs to another tenant
     */
    public Outcome changeSettings(
            String name,
            List<String> newDomains,
            String limits,
            Quota quota,
            long ifMatch,
            Origin origin) {
        TenantRecord before = get(name);
        if (before == null) {
            return Outcome.of(Status.NO_TENANT, 0);
        }
        if (newDomains != null) {
            List<String> taken = claim(name, newDomains);
            if (!taken.isEmpty()) {
                return new Outcome(Status.DOMAIN_TAKEN, before.activeNumber(), taken);
            }
        }
        Outcome o =
                tenants.executeOnKey(
                        name,
                        new TenantUpdates.ChangeSettings(
                                newDomains, limits, quota, ifMatch, now(), origin));
        TenantRecord after = get(name);
        if (newDomains != null && after != null) {
            // Whatever the record does not list is not the tenant's, whichever way the update went.
            List<String> unused = new ArrayList<>(before.domains());
            unused.addAll(newDomains);
            unused.removeAll(after.domains());
            release(name, unused);
        }
        return o;
    }

    /**
     * Makes a new revision of a validated document.
     *
     * @param modules the digests it references
     */
    public Outcome apply(
            String tenant, StoredDocument doc, Set<String> modules, long ifMatch, Origin origin) {
        String key = store(tenant, doc);
        return tenants.executeOnKey(
                tenant,
                new TenantUpdates.Commit(
                        ifMatch, key, doc.format(), List.copyOf(modules), now(), origin));
    }

    public Outcome rollback(String tenant, long target, long ifMatch, Origin origin) {
        return tenants.executeOnKey(
                tenant, new TenantUpdates.Rollback(target, ifMatch, now(), origin));
    }

    /** Removes the tenant and everything it owns but its tokens. */
    public boolean delete(String name) {
        byte[] removed = tenants.remove(name);
        if (removed == null) {
            return false;
        }
        TenantRecord t = StoredJson.read(removed, TenantRecord.class);
        release(name, t.domains());
        removeByPrefix(documents, name);
        return true;
    }

    /** Removes every entry whose key starts with {@code tenant/}. */
    static void removeByPrefix(IMap<String, ?> map, String tenant) {
        Collection<String> keys =
                map.keySet(Predicates.like("__key", ContentKeys.prefix(tenant) + "%"));
        for (String k : keys) {
            map.delete(k);
        }
    }

    private String store(String tenant, StoredDocument doc) {
        String key = ContentKeys.of(tenant, ContentKeys.sha256(doc.format() + "\n" + doc.text()));
        documents.set(key, StoredJson.write(doc));
        return key;
    }

    /** Claims each domain for the tenant; on a conflict releases what it claimed. */
    private List<String> claim(String tenant, List<String> wanted) {
        List<String> claimed = new ArrayList<>();
        List<String> taken = new ArrayList<>();
        for (String d : wanted) {
            byte[] owner = domains.putIfAbsent(d, utf8(tenant));
            if (owner == null) {
                claimed.add(d);
            } else if (!new String(owner, StandardCharsets.UTF_8).equals(tenant)) {
                taken.add(d);
            }
        }
        if (!taken.isEmpty()) {
            release(tenant, claimed);
        }
        return taken;
    }

    private void release(String tenant, Collection<String> list) {
        for (String d : list) {
            domains.remove(d, utf8(tenant)); // only if still this tenant's
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String now() {
        return clock.instant().toString();
    }
}

package io.wasmesh.controlplane.store;

import com.hazelcast.map.EntryProcessor;
import io.wasmesh.controlplane.store.Outcome.Status;
import io.wasmesh.controlplane.store.TenantRecord.ModuleInfo;
import io.wasmesh.controlplane.store.TenantRecord.Quota;
import io.wasmesh.controlplane.store.TenantRecord.Revision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The atomic changes of a tenant record. Each runs on the partition owner of the tenant's key, one
 * at a time per key, so a check and the write it guards cannot be separated by another writer.
 * Hazelcast replays a processor on the backup replica, so each is deterministic: the clock is read
 * by the caller and passed in.
 */
public final class TenantUpdates {
    private TenantUpdates() {}

    /** No {@code If-Match}: any active revision will do. */
    public static final long ANY = -1;

    /** Decodes the record, lets a subclass change it, writes it back when it changed. */
    abstract static class Update implements EntryProcessor<String, byte[], Outcome> {
        private static final long serialVersionUID = 1L;

        @Override
        public final Outcome process(Map.Entry<String, byte[]> entry) {
            TenantRecord current = StoredJson.read(entry.getValue(), TenantRecord.class);
            Result r = apply(current);
            if (r.next != null) {
                entry.setValue(StoredJson.write(r.next));
            }
            return r.outcome;
        }

        abstract Result apply(TenantRecord current);
    }

    record Result(TenantRecord next, Outcome outcome) {
        static Result refuse(Status status, TenantRecord current, List<String> details) {
            return new Result(
                    null,
                    new Outcome(status, current == null ? 0 : current.activeNumber(), details));
        }

        static Result refuse(Status status, TenantRecord current) {
            return refuse(status, current, List.of());
        }
    }

    /** Creates the tenant with revision 1 (its settings and an empty document). */
    public static final class Create extends Update {
        private static final long serialVersionUID = 1L;
        private final byte[] record;

        public Create(TenantRecord record) {
            this.record = StoredJson.write(record);
        }

        @Override
        Result apply(TenantRecord current) {
            if (current != null) {
                return Result.refuse(Status.TENANT_EXISTS, current);
            }
            TenantRecord next = StoredJson.read(record, TenantRecord.class);
            return new Result(next, Outcome.of(Status.DONE, next.activeNumber()));
        }
    }

    /** Makes a new active revision from a document, if its modules are all there. */
    public static final class Commit extends Update {
        private static final long serialVersionUID = 1L;
        private final long ifMatch;
        private final String document;
        private final String format;
        private final List<String> modules;
        private final String now;
        private final Origin origin;

        public Commit(
                long ifMatch,
                String document,
                String format,
                List<String> modules,
                String now,
                Origin origin) {
            this.ifMatch = ifMatch;
            this.document = document;
            this.format = format;
            this.modules = new ArrayList<>(modules);
            this.now = now;
            this.origin = origin;
        }

        @Override
        Result apply(TenantRecord t) {
            Result refused = unlessCurrent(t, ifMatch);
            if (refused != null) {
                return refused;
            }
            List<String> missing = missingModules(t, modules);
            if (!missing.isEmpty()) {
                return Result.refuse(Status.MODULES_MISSING, t, missing);
            }
            Revision active = t.active();
            Revision next =
                    revisionAfter(
                            t,
                            document,
                            format,
                            modules,
                            active.domains(),
                            active.limits(),
                            now,
                            "apply",
                            origin);
            return committed(t, next);
        }
    }

    /**
     * A new revision with the document of an earlier one and today's settings; the outcome's detail
     * is the revision brought back.
     */
    public static final class Rollback extends Update {
        private static final long serialVersionUID = 1L;
        private final long target;
        private final long ifMatch;
        private final String now;
        private final Origin origin;

        /**
         * @param target the revision whose document comes back; 0 for the one before the active
         */
        public Rollback(long target, long ifMatch, String now, Origin origin) {
            this.target = target;
            this.ifMatch = ifMatch;
            this.now = now;
            this.origin = origin;
        }

        @Override
        Result apply(TenantRecord t) {
            Result refused = unlessCurrent(t, ifMatch);
            if (refused != null) {
                return refused;
            }
            long wanted = target > 0 ? target : t.activeNumber() - 1;
            Revision old = t.revision(wanted);
            if (old == null || wanted == t.activeNumber()) {
                return Result.refuse(Status.NO_REVISION, t, List.of(Long.toString(wanted)));
            }
            List<String> missing = missingModules(t, old.modules());
            if (!missing.isEmpty()) {
                return Result.refuse(Status.MODULES_MISSING, t, missing);
            }
            Revision active = t.active();
            Revision next =
                    revisionAfter(
                            t,
                            old.document(),
                            old.format(),
                            old.modules(),
                            active.domains(),
                            active.limits(),
                            now,
                            "rollback to " + wanted,
                            origin);
            Result done = committed(t, next);
            return new Result(
                    done.next(),
                    new Outcome(Status.DONE, next.number(), List.of(Long.toString(wanted))));
        }
    }

    /**
     * The operator's change of domains, limits or quota; domains and limits are part of what
     * proxies run, so they make a new revision (with the same document).
     */
    public static final class ChangeSettings extends Update {
        private static final long serialVersionUID = 1L;
        private final List<String> domains;
        private final String limits;
        private final Quota quota;
        private final long ifMatch;
        private final String now;
        private final Origin origin;

        /** Null leaves a setting as it is. */
        public ChangeSettings(
                List<String> domains,
                String limits,
                Quota quota,
                long ifMatch,
                String now,
                Origin origin) {
            this.domains = domains == null ? null : new ArrayList<>(domains);
            this.limits = limits;
            this.quota = quota;
            this.ifMatch = ifMatch;
            this.now = now;
            this.origin = origin;
        }

        @Override
        Result apply(TenantRecord t) {
            Result refused = unlessCurrent(t, ifMatch);
            if (refused != null) {
                return refused;
            }
            List<String> newDomains = domains != null ? domains : t.domains();
            String newLimits = limits != null ? limits : t.limits();
            Quota newQuota = quota != null ? quota : t.quota();
            boolean runtimeChange =
                    !newDomains.equals(t.domains()) || !newLimits.equals(t.limits());
            TenantRecord settled =
                    new TenantRecord(
                            t.name(),
                            newDomains,
                            newLimits,
                            newQuota,
                            t.modules(),
                            t.revisions(),
                            t.createdAt());
            if (!runtimeChange) {
                return new Result(settled, Outcome.of(Status.DONE, t.activeNumber()));
            }
            Revision active = t.active();
            Revision next =
                    revisionAfter(
                            t,
                            active.document(),
                            active.format(),
                            active.modules(),
                            newDomains,
                            newLimits,
                            now,
                            "settings",
                            origin);
            return committed(settled, next);
        }
    }

    /** Adds a module to the index if the quota allows; its bytes are already stored. */
    public static final class AddModule extends Update {
        private static final long serialVersionUID = 1L;
        private final ModuleInfo module;

        public AddModule(ModuleInfo module) {
            this.module = module;
        }

        @Override
        Result apply(TenantRecord t) {
            if (t == null) {
                return Result.refuse(Status.NO_TENANT, null);
            }
            if (t.modules().containsKey(module.sha256())) {
                return Result.refuse(Status.UNCHANGED, t);
            }
            Quota q = t.quota();
            if (t.modules().size() + 1 > q.modules()) {
                return Result.refuse(
                        Status.QUOTA_EXCEEDED,
                        t,
                        List.of("the tenant may keep " + q.modules() + " modules"));
            }
            if (t.moduleBytes() + module.size() > q.moduleBytes()) {
                return Result.refuse(
                        Status.QUOTA_EXCEEDED,
                        t,
                        List.of(
                                "the tenant may keep "
                                        + q.moduleBytes()
                                        + " bytes of modules and uses "
                                        + t.moduleBytes()));
            }
            Map<String, ModuleInfo> modules = new LinkedHashMap<>(t.modules());
            modules.put(module.sha256(), module);
            return new Result(with(t, modules), Outcome.of(Status.DONE, t.activeNumber()));
        }
    }

    /** Removes a module from the index unless the active revision uses it. */
    public static final class RemoveModule extends Update {
        private static final long serialVersionUID = 1L;
        private final String sha256;

        public RemoveModule(String sha256) {
            this.sha256 = sha256;
        }

        @Override
        Result apply(TenantRecord t) {
            if (t == null) {
                return Result.refuse(Status.NO_TENANT, null);
            }
            if (!t.modules().containsKey(sha256)) {
                return Result.refuse(Status.NO_MODULE, t);
            }
            if (t.active() != null && t.active().modules().contains(sha256)) {
                return Result.refuse(
                        Status.MODULE_IN_USE, t, List.of("revision " + t.activeNumber()));
            }
            Map<String, ModuleInfo> modules = new LinkedHashMap<>(t.modules());
            modules.remove(sha256);
            return new Result(with(t, modules), Outcome.of(Status.DONE, t.activeNumber()));
        }
    }

    /**
     * Refuses an update of a tenant that does not exist, or whose active revision is not {@code
     * ifMatch}.
     */
    private static Result unlessCurrent(TenantRecord t, long ifMatch) {
        if (t == null) {
            return Result.refuse(Status.NO_TENANT, null);
        }
        if (ifMatch != ANY && ifMatch != t.activeNumber()) {
            return Result.refuse(Status.STALE, t);
        }
        return null;
    }

    /** The revision after the active one. */
    private static Revision revisionAfter(
            TenantRecord t,
            String document,
            String format,
            List<String> modules,
            List<String> domains,
            String limits,
            String now,
            String reason,
            Origin origin) {
        return new Revision(
                t.activeNumber() + 1,
                document,
                format,
                modules,
                domains,
                limits,
                now,
                reason,
                origin.author(),
                origin.traceparent());
    }

    private static List<String> missingModules(TenantRecord t, List<String> wanted) {
        return wanted.stream().filter(m -> !t.modules().containsKey(m)).toList();
    }

    private static TenantRecord with(TenantRecord t, Map<String, ModuleInfo> modules) {
        return new TenantRecord(
                t.name(),
                t.domains(),
                t.limits(),
                t.quota(),
                modules,
                t.revisions(),
                t.createdAt());
    }

    private static Result committed(TenantRecord t, Revision next) {
        List<Revision> revisions = new ArrayList<>(t.revisions());
        revisions.add(next);
        while (revisions.size() > TenantRecord.KEPT_REVISIONS) {
            revisions.remove(0);
        }
        TenantRecord updated =
                new TenantRecord(
                        t.name(),
                        t.domains(),
                        t.limits(),
                        t.quota(),
                        t.modules(),
                        revisions,
                        t.createdAt());
        return new Result(updated, Outcome.of(Status.DONE, next.number()));
    }
}

package io.wasmesh.controlplane.push;

import com.hazelcast.map.EntryProcessor;
import io.wasmesh.controlplane.push.ProxyRecord.TenantSync;
import io.wasmesh.controlplane.store.StoredJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Changes of a proxy's record, each atomic on the record's owner (several nodes may write one
 * proxy's record while it fails over). Deterministic: the clock is read by the caller.
 */
final class ProxyUpdates {
    private ProxyUpdates() {}

    abstract static class Update implements EntryProcessor<String, byte[], Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public final Boolean process(Map.Entry<String, byte[]> entry) {
            ProxyRecord current = StoredJson.read(entry.getValue(), ProxyRecord.class);
            ProxyRecord next = apply(current);
            if (next != null) {
                entry.setValue(StoredJson.write(next));
            }
            return next != null;
        }

        abstract ProxyRecord apply(ProxyRecord current);
    }

    /** The proxy said hello to {@code member}: what it runs now. */
    static final class Connected extends Update {
        private static final long serialVersionUID = 1L;
        private final String node;
        private final String member;
        private final String session;
        private final Map<String, Long> applied;
        private final String now;

        Connected(
                String node, String member, String session, Map<String, Long> applied, String now) {
            this.node = node;
            this.member = member;
            this.session = session;
            this.applied = new LinkedHashMap<>(applied);
            this.now = now;
        }

        @Override
        ProxyRecord apply(ProxyRecord current) {
            Map<String, TenantSync> tenants = new LinkedHashMap<>();
            applied.forEach((t, n) -> tenants.put(t, new TenantSync(n, n, 0, null, now)));
            return new ProxyRecord(node, member, session, true, now, now, tenants);
        }
    }

    /** A revision was sent ({@code ack == null}), acknowledged or refused. */
    static final class TenantEvent extends Update {
        private static final long serialVersionUID = 1L;
        private final String session;
        private final String tenant;
        private final long revision;
        private final Kind kind;
        private final String error;
        private final String now;

        enum Kind {
            SENT,
            ACK,
            NACK,
            REMOVED
        }

        TenantEvent(
                String session, String tenant, long revision, Kind kind, String error, String now) {
            this.session = session;
            this.tenant = tenant;
            this.revision = revision;
            this.kind = kind;
            this.error = error;
            this.now = now;
        }

        @Override
        ProxyRecord apply(ProxyRecord p) {
            if (p == null || !session.equals(p.session())) {
                return null; // the proxy has reconnected since; its new session keeps the record
            }
            Map<String, TenantSync> tenants = new LinkedHashMap<>(p.tenants());
            TenantSync s = tenants.getOrDefault(tenant, TenantSync.NONE);
            switch (kind) {
                case SENT:
                    s =
                            new TenantSync(
                                    s.applied(),
                                    Math.max(s.sent(), revision),
                                    s.nacked(),
                                    s.error(),
                                    now);
                    break;
                case ACK:
                    s =
                            revision >= s.applied()
                                    ? new TenantSync(
                                            revision, Math.max(s.sent(), revision), 0, null, now)
                                    : s;
                    break;
                case NACK:
                    s =
                            new TenantSync(
                                    s.applied(),
                                    Math.max(s.sent(), revision),
                                    revision,
                                    error,
                                    now);
                    break;
                case REMOVED:
                    tenants.remove(tenant);
                    s = null;
                    break;
            }
            if (s != null) {
                tenants.put(tenant, s);
            }
            return new ProxyRecord(
                    p.node(),
                    p.member(),
                    p.session(),
                    p.connected(),
                    p.connectedAt(),
                    now,
                    tenants);
        }
    }

    /** The stream of {@code session} closed. */
    static final class Disconnected extends Update {
        private static final long serialVersionUID = 1L;
        private final String session;
        private final String now;

        Disconnected(String session, String now) {
            this.session = session;
            this.now = now;
        }

        @Override
        ProxyRecord apply(ProxyRecord p) {
            if (p == null || !session.equals(p.session())) {
                return null;
            }
            return new ProxyRecord(
                    p.node(), p.member(), p.session(), false, p.connectedAt(), now, p.tenants());
        }
    }
}

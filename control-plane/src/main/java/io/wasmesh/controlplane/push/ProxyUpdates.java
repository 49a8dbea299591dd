package io.wasmesh.controlplane.push;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.wasmesh.controlplane.push.ProxyRecord.TenantSync;
import io.wasmesh.controlplane.store.StoredJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
            if (next == null) {
                return false;
            }
            byte[] value = StoredJson.write(next);
            long ttl = ttlMillis();
            if (!(entry instanceof ExtendedMapEntry)) {
                entry.setValue(value);
            } else if (ttl == KEEP_EXPIRY) {
                ((ExtendedMapEntry<String, byte[]>) entry).setValueWithoutChangingExpiryTime(value);
            } else {
                ((ExtendedMapEntry<String, byte[]>) entry)
                        .setValue(value, ttl, TimeUnit.MILLISECONDS);
            }
            return true;
        }

        abstract ProxyRecord apply(ProxyRecord current);

        /** How long the record lives after this change: {@link #KEEP_EXPIRY}, or 0 for ever. */
        long ttlMillis() {
            return KEEP_EXPIRY;
        }
    }

    static final long KEEP_EXPIRY = -1;

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
        long ttlMillis() {
            return 0; // connected: kept until it disconnects
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

    /**
     * The stream of {@code session} closed: the record says so for {@code forgetAfter}, then goes
     * (proxies in Kubernetes get a new name with every pod, so records of gone ones would pile up).
     */
    static final class Disconnected extends Update {
        private static final long serialVersionUID = 1L;
        private final String session;
        private final String now;
        private final long forgetAfterMillis;

        Disconnected(String session, String now, long forgetAfterMillis) {
            this.session = session;
            this.now = now;
            this.forgetAfterMillis = forgetAfterMillis;
        }

        @Override
        long ttlMillis() {
            return forgetAfterMillis;
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

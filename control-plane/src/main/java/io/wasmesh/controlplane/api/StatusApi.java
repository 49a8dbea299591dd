package io.wasmesh.controlplane.api;

import io.vertx.ext.web.Router;
import io.wasmesh.controlplane.push.ProxyRecord;
import io.wasmesh.controlplane.push.ProxyRecord.TenantSync;
import io.wasmesh.controlplane.push.ProxyRegistry;
import io.wasmesh.controlplane.store.TenantRecord;
import io.wasmesh.controlplane.store.TenantStore;
import java.util.ArrayList;
import java.util.List;

/** Which proxy runs which revision: Istio's proxy-status, per tenant. */
final class StatusApi {
    private final TenantStore tenants;
    private final ProxyRegistry proxies;

    enum State {
        /** Runs the active revision. */
        SYNCED,
        /** Sent the active revision, no answer yet (or not sent yet). */
        STALE,
        /** Refused the active revision; runs an older one. */
        NACKED,
        /** Its stream is closed; it serves what it last applied. */
        DISCONNECTED
    }

    record ProxyStatus(
            String node,
            String member,
            State state,
            long applied,
            long sent,
            String error,
            String at) {}

    record TenantStatus(String tenant, long revision, int synced, List<ProxyStatus> proxies) {}

    StatusApi(TenantStore tenants, ProxyRegistry proxies) {
        this.tenants = tenants;
        this.proxies = proxies;
    }

    void mount(Router r) {
        r.get("/v1/tenants/:tenant/status")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    String tenant = Access.tenant(ctx);
                                    return () -> status(tenant);
                                },
                                (ctx, s) -> ApiJson.respond(ctx, 200, s)));
        r.get("/v1/proxies")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    Access.operator(ctx);
                                    return proxies::list;
                                },
                                (ctx, list) -> ApiJson.respond(ctx, 200, list)));
    }

    private TenantStatus status(String tenant) {
        TenantRecord t = tenants.get(tenant);
        if (t == null) {
            throw Access.noTenant(tenant);
        }
        long active = t.activeNumber();
        List<ProxyStatus> out = new ArrayList<>();
        int synced = 0;
        for (ProxyRecord p : proxies.list()) {
            TenantSync s = p.tenants().get(tenant);
            if (s == null && !p.connected()) {
                continue;
            }
            TenantSync sync = s == null ? new TenantSync(0, 0, 0, null, null) : s;
            State state = state(p, sync, active);
            if (state == State.SYNCED) {
                synced++;
            }
            out.add(
                    new ProxyStatus(
                            p.node(),
                            p.member(),
                            state,
                            sync.applied(),
                            sync.sent(),
                            sync.nacked() >= active ? sync.error() : null,
                            sync.at()));
        }
        return new TenantStatus(tenant, active, synced, out);
    }

    static State state(ProxyRecord p, TenantSync s, long active) {
        if (!p.connected()) {
            return State.DISCONNECTED;
        }
        if (s.applied() == active) {
            return State.SYNCED;
        }
        return s.nacked() >= active ? State.NACKED : State.STALE;
    }
}

package io.wasmesh.controlplane.push;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A proxy as the control plane knows it: where it is connected and, per tenant, what it was sent
 * and what it runs.
 *
 * @param member the control-plane node it is connected to
 * @param session that connection: events of an older connection (closing late) are ignored
 * @param connected false once its stream closed
 */
public record ProxyRecord(
        String node,
        String member,
        String session,
        boolean connected,
        String connectedAt,
        String lastSeenAt,
        Map<String, TenantSync> tenants) {

    public ProxyRecord {
        tenants = new LinkedHashMap<>(Objects.requireNonNullElse(tenants, Map.of()));
    }

    /**
     * One tenant on one proxy.
     *
     * @param applied the revision it runs (0: none)
     * @param sent the newest revision sent to it
     * @param nacked the newest revision it refused, 0 if none since the last ACK
     * @param error why it refused {@code nacked}
     */
    public record TenantSync(long applied, long sent, long nacked, String error, String at) {
        static final TenantSync NONE = new TenantSync(0, 0, 0, null, null);
    }
}

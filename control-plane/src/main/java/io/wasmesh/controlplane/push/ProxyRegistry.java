package io.wasmesh.controlplane.push;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.wasmesh.controlplane.push.ProxyUpdates.TenantEvent.Kind;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.store.StoredJson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What every proxy runs, cluster-wide, for the status API. Writes are asynchronous (fire and forget
 * from the push stream's event loop); reads block. A disconnected proxy is listed as such for
 * {@link #FORGET_DISCONNECTED_AFTER}, then forgotten.
 */
public final class ProxyRegistry {
    /** How long the status API shows a proxy that went away. */
    public static final Duration FORGET_DISCONNECTED_AFTER = Duration.ofHours(1);

    private final IMap<String, byte[]> proxies;
    private final Clock clock;
    private final Duration forgetDisconnectedAfter;

    public ProxyRegistry(HazelcastInstance hz, Clock clock) {
        this(hz, clock, FORGET_DISCONNECTED_AFTER);
    }

    ProxyRegistry(HazelcastInstance hz, Clock clock, Duration forgetDisconnectedAfter) {
        this.proxies = hz.getMap(MapNames.PROXIES);
        this.clock = clock;
        this.forgetDisconnectedAfter = forgetDisconnectedAfter;
    }

    CompletionStage<Boolean> connected(
            String node, String member, String session, Map<String, Long> applied) {
        return proxies.submitToKey(
                node, new ProxyUpdates.Connected(node, member, session, applied, now()));
    }

    CompletionStage<Boolean> event(
            String node, String session, String tenant, long revision, Kind kind, String error) {
        return proxies.submitToKey(
                node, new ProxyUpdates.TenantEvent(session, tenant, revision, kind, error, now()));
    }

    CompletionStage<Boolean> disconnected(String node, String session) {
        return proxies.submitToKey(
                node,
                new ProxyUpdates.Disconnected(session, now(), forgetDisconnectedAfter.toMillis()));
    }

    public List<ProxyRecord> list() {
        List<ProxyRecord> out = new ArrayList<>();
        for (byte[] v : proxies.values()) {
            out.add(StoredJson.read(v, ProxyRecord.class));
        }
        out.sort(Comparator.comparing(ProxyRecord::node));
        return out;
    }

    private String now() {
        return clock.instant().toString();
    }
}

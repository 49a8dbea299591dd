package io.wasmesh.controlplane.push;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.wasmesh.controlplane.push.ProxyUpdates.TenantEvent.Kind;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.store.StoredJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What every proxy runs, cluster-wide, for the status API. Writes are asynchronous (fire and forget
 * from the push stream's event loop); reads block.
 */
public final class ProxyRegistry {
    private final IMap<String, byte[]> proxies;
    private final Clock clock;

    public ProxyRegistry(HazelcastInstance hz, Clock clock) {
        this.proxies = hz.getMap(MapNames.PROXIES);
        this.clock = clock;
    }

    void connected(String node, String member, String session, Map<String, Long> applied) {
        proxies.submitToKey(
                node, new ProxyUpdates.Connected(node, member, session, applied, now()));
    }

    void event(String node, String session, String tenant, long revision, Kind kind, String error) {
        proxies.submitToKey(
                node, new ProxyUpdates.TenantEvent(session, tenant, revision, kind, error, now()));
    }

    void disconnected(String node, String session) {
        proxies.submitToKey(node, new ProxyUpdates.Disconnected(session, now()));
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

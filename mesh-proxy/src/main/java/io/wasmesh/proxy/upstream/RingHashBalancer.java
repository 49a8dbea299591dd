package io.wasmesh.proxy.upstream;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consistent hashing on a ring of virtual nodes (100 per unit of weight): a request's hash key
 * always lands on the same endpoint while it is available, and losing one endpoint moves only its
 * own share of keys.
 */
final class RingHashBalancer implements LoadBalancer {
    private static final int VIRTUAL_NODES_PER_WEIGHT = 100;
    private final TreeMap<Long, UpstreamHost> ring = new TreeMap<>();

    RingHashBalancer(List<UpstreamHost> all) {
        for (UpstreamHost h : all) {
            for (int i = 0; i < VIRTUAL_NODES_PER_WEIGHT * h.weight(); i++) {
                ring.put(HashKeys.of(h.address() + "_" + i), h);
            }
        }
    }

    @Override
    public UpstreamHost pick(List<UpstreamHost> available, long hash) {
        if (available.size() == 1) {
            return available.get(0);
        }
        // Walk clockwise from the key to the first virtual node of an available endpoint.
        for (Map.Entry<Long, UpstreamHost> e : ring.tailMap(hash, true).entrySet()) {
            if (available.contains(e.getValue())) {
                return e.getValue();
            }
        }
        for (Map.Entry<Long, UpstreamHost> e : ring.entrySet()) {
            if (available.contains(e.getValue())) {
                return e.getValue();
            }
        }
        return available.get(0);
    }
}

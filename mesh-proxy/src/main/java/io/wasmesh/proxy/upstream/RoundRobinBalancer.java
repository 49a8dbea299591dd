package io.wasmesh.proxy.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Weighted round robin: over a cycle each endpoint gets its weight's share of picks. */
final class RoundRobinBalancer implements LoadBalancer {
    private final AtomicLong next = new AtomicLong();

    @Override
    public UpstreamHost pick(List<UpstreamHost> available, long hash) {
        int total = 0;
        for (UpstreamHost h : available) {
            total += h.weight();
        }
        long slot = Math.floorMod(next.getAndIncrement(), (long) total);
        for (UpstreamHost h : available) {
            slot -= h.weight();
            if (slot < 0) {
                return h;
            }
        }
        return available.get(0);
    }
}

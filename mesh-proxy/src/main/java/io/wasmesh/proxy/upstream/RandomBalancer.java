package io.wasmesh.proxy.upstream;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted random. */
final class RandomBalancer implements LoadBalancer {
    @Override
    public UpstreamHost pick(List<UpstreamHost> available, long hash) {
        int total = 0;
        for (UpstreamHost h : available) {
            total += h.weight();
        }
        int slot = ThreadLocalRandom.current().nextInt(total);
        for (UpstreamHost h : available) {
            slot -= h.weight();
            if (slot < 0) {
                return h;
            }
        }
        return available.get(0);
    }
}

package io.wasmesh.proxy.upstream;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Least request by the power of two choices (Envoy's default for it): two random endpoints, the one
 * with fewer requests in flight, weighted by dividing by the weight.
 */
final class LeastRequestBalancer implements LoadBalancer {
    @Override
    public UpstreamHost pick(List<UpstreamHost> available, long hash) {
        if (available.size() == 1) {
            return available.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UpstreamHost a = available.get(random.nextInt(available.size()));
        UpstreamHost b = available.get(random.nextInt(available.size()));
        double loadA = (a.activeRequests() + 1.0) / a.weight();
        double loadB = (b.activeRequests() + 1.0) / b.weight();
        return loadA <= loadB ? a : b;
    }
}

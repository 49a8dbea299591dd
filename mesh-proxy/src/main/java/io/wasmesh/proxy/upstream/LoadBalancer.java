package io.wasmesh.proxy.upstream;

import io.wasmesh.config.LoadBalancerPolicy;
import java.util.List;

/**
 * Picks an endpoint among the available ones. {@code hash} is the request's hash key (ring hash
 * only). Implementations are thread-safe: event loops pick concurrently.
 */
public interface LoadBalancer {
    UpstreamHost pick(List<UpstreamHost> available, long hash);

    static LoadBalancer of(LoadBalancerPolicy policy, List<UpstreamHost> all) {
        switch (policy) {
            case LEAST_REQUEST:
                return new LeastRequestBalancer();
            case RANDOM:
                return new RandomBalancer();
            case RING_HASH:
                return new RingHashBalancer(all);
            case ROUND_ROBIN:
            default:
                return new RoundRobinBalancer();
        }
    }
}

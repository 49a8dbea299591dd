package io.wasmesh.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each balancing policy does with the available endpoints. */
class LoadBalancerTest {
    final UpstreamHost a = new UpstreamHost("10.0.0.1", 80, 1);
    final UpstreamHost b = new UpstreamHost("10.0.0.2", 80, 3);
    final UpstreamHost c = new UpstreamHost("10.0.0.3", 80, 1);

    @Test
    void roundRobinGivesEachEndpointItsWeightPerCycle() {
        RoundRobinBalancer rr = new RoundRobinBalancer();
        Map<UpstreamHost, Integer> picks = new HashMap<>();
        for (int i = 0; i < 5 * 100; i++) {
            picks.merge(rr.pick(List.of(a, b, c), 0), 1, Integer::sum);
        }
        assertThat(picks).containsEntry(a, 100).containsEntry(b, 300).containsEntry(c, 100);
    }

    @Test
    void leastRequestPrefersTheLessLoadedOfTwo() {
        a.active.set(10);
        UpstreamHost idle = new UpstreamHost("10.0.0.9", 80, 1);
        LeastRequestBalancer lr = new LeastRequestBalancer();
        int idleWins = 0;
        for (int i = 0; i < 1000; i++) {
            if (lr.pick(List.of(a, idle), 0) == idle) {
                idleWins++;
            }
        }
        assertThat(idleWins)
                .as("idle wins unless both draws are the busy one (~1/4)")
                .isGreaterThan(600);
    }

    @Test
    void ringHashKeepsAKeyOnItsEndpointAndMovesOnlyTheLostEndpointsKeys() {
        List<UpstreamHost> all = List.of(a, b, c);
        RingHashBalancer ring = new RingHashBalancer(all);
        Map<Long, UpstreamHost> before = new HashMap<>();
        for (long key = 0; key < 1000; key++) {
            long hash = HashKeys.of("user-" + key);
            UpstreamHost first = ring.pick(all, hash);
            assertThat(ring.pick(all, hash)).isSameAs(first);
            before.put(hash, first);
        }
        List<UpstreamHost> withoutC = new ArrayList<>(List.of(a, b));
        before.forEach(
                (hash, host) -> {
                    UpstreamHost now = ring.pick(withoutC, hash);
                    if (host != c) {
                        assertThat(now).as("a key not on c stays put").isSameAs(host);
                    } else {
                        assertThat(now).isIn(a, b);
                    }
                });
    }

    @Test
    void randomFollowsTheWeights() {
        RandomBalancer random = new RandomBalancer();
        int toB = 0;
        for (int i = 0; i < 5000; i++) {
            if (random.pick(List.of(a, b, c), 0) == b) {
                toB++;
            }
        }
        assertThat(toB).as("b has 3/5 of the weight").isBetween(2700, 3300);
    }
}

package io.wasmesh.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A match and exactly one action: {@code cluster}, {@code weightedClusters}, {@code service},
 * {@code directResponse} or {@code redirect} (the others are {@code null}); {@link #action()} gives
 * it as one type.
 *
 * @param name the route's name, unique in the tenant; an unnamed route is named {@code
 *     route-<index>} by its tenant
 * @param match what requests the route takes; default every request ({@link RouteMatch#ANY})
 * @param cluster forward to this cluster of the tenant
 * @param weightedClusters forward to one of these clusters, picked by weight
 * @param service answer with this Wasm service of the tenant
 * @param directResponse answer with a fixed response
 * @param redirect answer with a redirect
 * @param timeout the most time the upstream may take for the whole request; zero means none;
 *     default 15 s
 * @param retries how failed upstream requests are retried, or {@code null} for no retries
 * @param filters per-route changes to the tenant's filters, by filter name; default none
 */
public record RouteConfig(
        String name,
        RouteMatch match,
        String cluster,
        List<WeightedCluster> weightedClusters,
        String service,
        DirectResponse directResponse,
        Redirect redirect,
        Duration timeout,
        RetryPolicy retries,
        Map<String, FilterOverride> filters) {

    public RouteConfig {
        match = Objects.requireNonNullElse(match, RouteMatch.ANY);
        weightedClusters = Immutables.listOrNull(weightedClusters);
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(15));
        filters = Immutables.map(filters);
    }

    /**
     * The route's action as one type: {@code cluster: x} becomes {@link RouteAction.ToClusters}
     * with the single cluster {@code x} of weight 1.
     *
     * @throws IllegalStateException if the route has no action (the loader never returns one)
     */
    public RouteAction action() {
        if (cluster != null) {
            return new RouteAction.ToClusters(List.of(WeightedCluster.of(cluster)));
        }
        if (weightedClusters != null) {
            return new RouteAction.ToClusters(weightedClusters);
        }
        if (service != null) {
            return new RouteAction.ToService(service);
        }
        if (directResponse != null) {
            return directResponse;
        }
        if (redirect != null) {
            return redirect;
        }
        throw new IllegalStateException("route '" + name + "' has no action");
    }

    static String defaultName(int index) {
        return "route-" + index;
    }

    /** Only the routes' holder knows their indexes, so it names the unnamed ones. */
    static List<RouteConfig> withDefaultNames(List<RouteConfig> routes) {
        List<RouteConfig> named = new ArrayList<>(routes.size());
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            named.add(r.name() != null ? r : r.withName(defaultName(i)));
        }
        return List.copyOf(named);
    }

    RouteConfig withName(String newName) {
        return new RouteConfig(
                newName,
                match,
                cluster,
                weightedClusters,
                service,
                directResponse,
                redirect,
                timeout,
                retries,
                filters);
    }
}

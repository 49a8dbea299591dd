package io.wasmesh.config;

import java.util.List;

/** What a route does with the requests it takes: exactly one of these. */
public sealed interface RouteAction
        permits RouteAction.ToClusters, RouteAction.ToService, DirectResponse, Redirect {

    /**
     * Forward upstream to one of these clusters, picked by weight.
     *
     * @param clusters the tenant's clusters and their weights; not all zero
     */
    record ToClusters(List<WeightedCluster> clusters) implements RouteAction {
        public ToClusters {
            clusters = List.copyOf(clusters);
        }
    }

    /**
     * Answer with a Wasm service of the tenant.
     *
     * @param service the service's name
     */
    record ToService(String service) implements RouteAction {}
}

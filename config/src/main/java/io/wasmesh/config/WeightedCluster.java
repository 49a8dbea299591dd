package io.wasmesh.config;

/**
 * A cluster and its share of a route's requests. A file may write a plain string for a cluster of
 * weight 1.
 *
 * @param name a cluster of the tenant
 * @param weight the share, relative to the route's other weights, 0..10000 (0 takes none); a file
 *     that leaves it out gets 1
 */
public record WeightedCluster(String name, int weight) {

    /** The cluster with weight 1. */
    public static WeightedCluster of(String name) {
        return new WeightedCluster(name, 1);
    }
}

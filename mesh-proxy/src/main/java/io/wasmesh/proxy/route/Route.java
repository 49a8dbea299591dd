package io.wasmesh.proxy.route;

import io.wasmesh.config.RouteAction;
import io.wasmesh.config.RouteConfig;
import io.wasmesh.proxy.filter.FilterChainFactory;
import io.wasmesh.proxy.service.WasmService;
import io.wasmesh.proxy.upstream.Cluster;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One route of a tenant, ready to serve: its compiled match, its filter chain, and, for a route to
 * clusters, the clusters with their weights.
 */
public final class Route {
    private final RouteConfig config;
    private final RouteMatcher matcher;
    private final FilterChainFactory filters;
    private final List<Cluster> clusters;
    private final int[] weights;
    private final int totalWeight;
    private final WasmService service;
    private final RouteAction action;
    private final String httpRoute;

    public Route(
            RouteConfig config,
            FilterChainFactory filters,
            List<Cluster> clusters,
            List<Integer> weights) {
        this.config = config;
        this.matcher = RouteMatcher.compile(config.match());
        this.filters = filters;
        this.clusters = List.copyOf(clusters);
        this.weights = weights.stream().mapToInt(Integer::intValue).toArray();
        int total = 0;
        for (int w : this.weights) {
            total += w;
        }
        this.totalWeight = total;
        this.service = null;
        this.action = config.action();
        this.httpRoute = httpRoute(config);
    }

    /** A route that ends in a tenant's Wasm service. */
    public Route(RouteConfig config, FilterChainFactory filters, WasmService service) {
        this.config = config;
        this.matcher = RouteMatcher.compile(config.match());
        this.filters = filters;
        this.clusters = List.of();
        this.weights = new int[0];
        this.totalWeight = 0;
        this.service = service;
        this.action = config.action();
        this.httpRoute = httpRoute(config);
    }

    /**
     * The route as a low-cardinality template, OpenTelemetry's {@code http.route}: the exact path,
     * the prefix followed by {@code *}, the regex, or {@code /*} for a route matching every path.
     */
    public String httpRoute() {
        return httpRoute;
    }

    private static String httpRoute(RouteConfig config) {
        var m = config.match();
        if (m.path() != null) {
            return m.path();
        }
        if (m.prefix() != null) {
            return m.prefix().endsWith("/") ? m.prefix() + "*" : m.prefix() + "*";
        }
        return m.regex() != null ? m.regex() : "/*";
    }

    /** What the route does (computed once, not per request). */
    public RouteAction action() {
        return action;
    }

    /** The Wasm service the route ends in, or null. */
    public WasmService service() {
        return service;
    }

    public String name() {
        return config.name();
    }

    public RouteConfig config() {
        return config;
    }

    public boolean matches(RequestFacts request) {
        return matcher.test(request);
    }

    public FilterChainFactory filters() {
        return filters;
    }

    /** The cluster for one request, by weight (traffic splitting); null if not a cluster route. */
    public Cluster pickCluster() {
        if (clusters.isEmpty()) {
            return null;
        }
        if (clusters.size() == 1) {
            return clusters.get(0);
        }
        int slot = ThreadLocalRandom.current().nextInt(totalWeight);
        for (int i = 0; i < weights.length; i++) {
            slot -= weights[i];
            if (slot < 0) {
                return clusters.get(i);
            }
        }
        return clusters.get(clusters.size() - 1);
    }
}

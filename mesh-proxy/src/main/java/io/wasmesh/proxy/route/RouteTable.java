package io.wasmesh.proxy.route;

import java.util.List;

/** A tenant's routes in config order; the first that matches wins, as in Envoy. */
public final class RouteTable {
    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The route for a request, or null (the proxy answers 404). */
    public Route match(RequestFacts request) {
        for (Route r : routes) {
            if (r.matches(request)) {
                return r;
            }
        }
        return null;
    }

    public List<Route> routes() {
        return routes;
    }
}

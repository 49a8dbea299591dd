package io.wasmesh.config;

import io.wasmesh.config.internal.bind.ModelMapper;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An isolated customer of the mesh: the hosts it owns and what serves them.
 *
 * @param name the tenant's name, a DNS label, unique in the file
 * @param domains the hosts the tenant owns, lower-cased: exact ({@code shop.example.com}), a suffix
 *     wildcard ({@code *.example.com}) or {@code *} (the default tenant), optionally with a port
 * @param limits what the tenant's Wasm may use; default {@link TenantLimits#DEFAULT}
 * @param filters the tenant's Wasm filters; every route runs them in {@link
 *     FilterConfig#CHAIN_ORDER} unless the route disables one; default none
 * @param routes the tenant's routes, tried in order; an unnamed route is named {@code
 *     route-<index>}; default none
 * @param clusters the tenant's upstream clusters; default none
 * @param services the tenant's Wasm services; default none
 */
public record TenantConfig(
        String name,
        List<String> domains,
        TenantLimits limits,
        List<FilterConfig> filters,
        List<RouteConfig> routes,
        List<ClusterConfig> clusters,
        List<ServiceConfig> services) {

    public TenantConfig {
        domains = Immutables.list(domains).stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        limits = Objects.requireNonNullElse(limits, TenantLimits.DEFAULT);
        filters = Immutables.list(filters);
        routes = RouteConfig.withDefaultNames(Immutables.list(routes));
        clusters = Immutables.list(clusters);
        services = Immutables.list(services);
    }

    /**
     * The tenant as pretty JSON with a stable field order (map keys sorted), as a mesh file's
     * {@code tenants} holds it: what the control plane pushes and a proxy keeps. {@link
     * ConfigLoader#parseTenant} reads it back into an equal tenant.
     */
    public String toJson() {
        return ModelMapper.write(this);
    }

    /** The filter of that name, or {@code null}. */
    public FilterConfig filter(String name) {
        return filters.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    /** The cluster of that name, or {@code null}. */
    public ClusterConfig cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** The service of that name, or {@code null}. */
    public ServiceConfig service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** The route of that name, or {@code null}. */
    public RouteConfig route(String name) {
        return routes.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }
}

package io.wasmesh.config;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a tenant applies through the control plane: the part of its {@link TenantConfig} it owns.
 * Its name, domains and limits are the operator's; {@link #toTenant} joins the two. Load it with
 * {@link ConfigLoader#parseTenantDocument}, which requires every module by digest.
 *
 * @param filters the tenant's Wasm filters; default none
 * @param routes the tenant's routes, tried in order; an unnamed route is named {@code
 *     route-<index>}; default none
 * @param clusters the tenant's upstream clusters; default none
 * @param services the tenant's Wasm services; default none
 */
public record TenantDocument(
        List<FilterConfig> filters,
        List<RouteConfig> routes,
        List<ClusterConfig> clusters,
        List<ServiceConfig> services) {

    /** Nothing: a new tenant's first revision. */
    public static final TenantDocument EMPTY = new TenantDocument(null, null, null, null);

    public TenantDocument {
        filters = Immutables.list(filters);
        routes = RouteConfig.withDefaultNames(Immutables.list(routes));
        clusters = Immutables.list(clusters);
        services = Immutables.list(services);
    }

    /** The whole tenant: the operator's settings with this document. */
    public TenantConfig toTenant(String name, List<String> domains, TenantLimits limits) {
        return new TenantConfig(name, domains, limits, filters, routes, clusters, services);
    }

    /**
     * The digest of every module the filters and services name, lower-case hex, sorted: what must
     * be in the tenant's module store before the document can be applied.
     */
    public Set<String> moduleDigests() {
        Set<String> digests = new TreeSet<>();
        Stream.concat(
                        filters.stream().map(FilterConfig::module),
                        services.stream().map(ServiceConfig::module))
                .filter(Objects::nonNull)
                .map(ModuleRef::sha256)
                .filter(Objects::nonNull)
                .forEach(digests::add);
        return Collections.unmodifiableSet(digests);
    }
}

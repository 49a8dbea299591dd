package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Listener and tenant names are unique in the file; a tenant's filter, route, cluster and service
 * names in the tenant.
 */
final class UniqueNames implements Rule, TenantRule {

    @Override
    public void check(Node config, Problems problems) {
        unique("listener", config.get("listeners").items(), problems);
        unique("tenant", config.get("tenants").items(), problems);
    }

    @Override
    public void checkTenant(Node tenant, Problems problems) {
        unique("filter", tenant.get("filters").items(), problems);
        unique("route", tenant.get("routes").items(), problems);
        unique("cluster", tenant.get("clusters").items(), problems);
        unique("service", tenant.get("services").items(), problems);
    }

    private static void unique(String kind, List<Node> elements, Problems problems) {
        Map<String, Node> seen = new HashMap<>();
        for (Node element : elements) {
            Node name = element.get("name");
            // An unnamed route takes the name route-<index>, which a named one may repeat.
            String effective =
                    name.text()
                            .orElse(
                                    kind.equals("route") && !name.isPresent()
                                            ? "route-" + element.name()
                                            : null);
            if (effective == null) {
                continue;
            }
            Node first = seen.putIfAbsent(effective, element);
            if (first != null) {
                problems.at(
                        name.isPresent() ? name.path() : element.path(),
                        "duplicate "
                                + kind
                                + " name '"
                                + effective
                                + "' (first used by "
                                + first.path()
                                + ")");
            }
        }
    }
}

package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import io.wasmesh.config.internal.Suggestions;
import java.util.LinkedHashSet;
import java.util.Set;

/** What a route names (clusters, a service, filters to override) exists in its tenant. */
final class References implements TenantRule {

    @Override
    public void checkTenant(Node tenant, Problems problems) {
        String owner = owner(tenant);
        Names clusters = new Names("cluster", owner, names(tenant.get("clusters")));
        Names services = new Names("service", owner, names(tenant.get("services")));
        Names filters = new Names("filter", owner, names(tenant.get("filters")));
        for (Node route : tenant.get("routes").items()) {
            clusters.check(route.get("cluster"), problems);
            for (Node weighted : route.get("weightedClusters").items()) {
                clusters.check(weighted.isText() ? weighted : weighted.get("name"), problems);
            }
            services.check(route.get("service"), problems);
            for (Node override : route.get("filters").fields()) {
                filters.checkKey(override, problems);
            }
        }
    }

    /** "tenant 'shop'"; a tenant document, at the root, has no name of its own. */
    private static String owner(Node tenant) {
        String name = tenant.get("name").text().orElse(tenant.path());
        return name.isEmpty() ? "the document" : "tenant '" + name + "'";
    }

    private static Set<String> names(Node elements) {
        Set<String> names = new LinkedHashSet<>();
        for (Node e : elements.items()) {
            e.get("name").text().ifPresent(names::add);
        }
        return names;
    }

    /** The names of one kind a tenant defines. */
    private record Names(String kind, String owner, Set<String> defined) {

        void check(Node reference, Problems problems) {
            reference
                    .text()
                    .filter(name -> !defined.contains(name))
                    .ifPresent(name -> problems.at(reference.path(), unknown(name)));
        }

        /** The reference is the field's name (a map key). */
        void checkKey(Node field, Problems problems) {
            if (!defined.contains(field.name())) {
                problems.atKey(field.path(), unknown(field.name()));
            }
        }

        private String unknown(String name) {
            String suggestion = Suggestions.didYouMean(name, defined);
            if (suggestion.isEmpty()) {
                suggestion =
                        " ("
                                + owner
                                + " has "
                                + (defined.isEmpty() ? "none" : String.join(", ", defined))
                                + ")";
            }
            return "unknown " + kind + " '" + name + "'" + suggestion;
        }
    }
}

package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A domain belongs to one tenant; so at most one tenant owns {@code *}. */
final class DomainOwnership implements Rule {

    @Override
    public void check(Node config, Problems problems) {
        check(config.get("tenants").items(), problems);
    }

    /** Also for one tenant on its own: it may not list a domain twice. */
    static void check(List<Node> tenants, Problems problems) {
        Map<String, Node> owners = new HashMap<>();
        for (Node tenant : tenants) {
            for (Node domain : tenant.get("domains").items()) {
                Optional<String> name = domain.text().map(d -> d.toLowerCase(Locale.ROOT));
                if (name.isEmpty()) {
                    continue;
                }
                Node owner = owners.putIfAbsent(name.get(), tenant);
                if (owner == tenant) {
                    problems.at(domain.path(), "duplicate domain '" + name.get() + "'");
                } else if (owner != null) {
                    problems.at(
                            domain.path(),
                            "domain '"
                                    + name.get()
                                    + "' is already owned by tenant '"
                                    + owner.get("name").text().orElse(owner.path())
                                    + "'");
                }
            }
        }
    }
}

package io.wasmesh.proxy.tenant;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the tenant of a request by its authority, the way Envoy picks a virtual host: an exact
 * domain (with its port, then without), then the longest {@code *.suffix} wildcard, then the
 * catch-all {@code *}.
 */
public final class TenantIndex<T> {
    private final Map<String, T> exact = new HashMap<>();
    // Longest suffix first: ".a.example.com" is tried before ".example.com".
    private final TreeMap<String, T> suffixes =
            new TreeMap<>(
                    (a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
    private T catchAll;

    public TenantIndex(Map<T, List<String>> domainsByTenant) {
        domainsByTenant.forEach(
                (tenant, domains) -> {
                    for (String d : domains) {
                        String domain = d.toLowerCase(Locale.ROOT);
                        if (domain.equals("*")) {
                            catchAll = tenant;
                        } else if (domain.startsWith("*.")) {
                            suffixes.put(domain.substring(1), tenant);
                        } else {
                            exact.put(domain, tenant);
                        }
                    }
                });
    }

    /** The tenant owning {@code authority} (host, optionally with a port), or null. */
    public T find(String authority) {
        if (authority == null) {
            return catchAll;
        }
        String a = authority.toLowerCase(Locale.ROOT);
        T t = exact.get(a);
        if (t != null) {
            return t;
        }
        String host = io.wasmesh.proxy.route.RequestFacts.hostWithoutPortOf(a);
        t = exact.get(host);
        if (t != null) {
            return t;
        }
        for (Map.Entry<String, T> e : suffixes.entrySet()) {
            if (host.endsWith(e.getKey()) && host.length() > e.getKey().length()) {
                return e.getValue();
            }
        }
        return catchAll;
    }
}

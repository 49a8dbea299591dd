package io.wasmesh.proxy.route;

import io.wasmesh.config.HeaderMatch;
import io.wasmesh.config.QueryMatch;
import io.wasmesh.config.RouteMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A route's match, compiled once when the config loads: every condition must hold. Regexes match
 * the whole path (Envoy's {@code safe_regex}); a header or query condition holds if any of the
 * values matches.
 */
public final class RouteMatcher implements Predicate<RequestFacts> {
    private final List<Predicate<RequestFacts>> conditions;

    private RouteMatcher(List<Predicate<RequestFacts>> conditions) {
        this.conditions = List.copyOf(conditions);
    }

    public static RouteMatcher compile(RouteMatch m) {
        List<Predicate<RequestFacts>> all = new ArrayList<>();
        if (m.host() != null) {
            all.add(hostCondition(m.host().toLowerCase(Locale.ROOT)));
        }
        if (m.path() != null) {
            String exact = m.path();
            all.add(r -> r.path().equals(exact));
        } else if (m.regex() != null) {
            Pattern p = Pattern.compile(m.regex());
            all.add(r -> p.matcher(r.path()).matches());
        } else if (m.prefix() != null && !m.prefix().equals("/")) {
            String prefix = m.prefix();
            all.add(r -> r.path().startsWith(prefix));
        }
        if (m.methods() != null && !m.methods().isEmpty()) {
            Set<String> methods = Set.copyOf(m.methods());
            all.add(r -> methods.contains(r.method()));
        }
        for (HeaderMatch h : m.headers() == null ? List.<HeaderMatch>of() : m.headers()) {
            all.add(headerCondition(h));
        }
        for (QueryMatch q : m.query() == null ? List.<QueryMatch>of() : m.query()) {
            all.add(queryCondition(q));
        }
        return new RouteMatcher(all);
    }

    @Override
    public boolean test(RequestFacts request) {
        for (Predicate<RequestFacts> c : conditions) {
            if (!c.test(request)) {
                return false;
            }
        }
        return true;
    }

    private static Predicate<RequestFacts> hostCondition(String host) {
        if (host.startsWith("*.")) {
            String suffix = host.substring(1); // ".example.com"
            return r -> r.host().endsWith(suffix) && r.host().length() > suffix.length();
        }
        return r -> r.host().equals(host);
    }

    private static Predicate<RequestFacts> headerCondition(HeaderMatch h) {
        String name = h.name().toLowerCase(Locale.ROOT);
        Predicate<String> value = valueCondition(h.exact(), h.prefix(), h.regex());
        Predicate<RequestFacts> holds;
        if (value == null) { // "present"
            boolean wanted = h.present() == null || h.present();
            holds = r -> !r.header(name).isEmpty() == wanted;
        } else {
            holds = r -> r.header(name).stream().anyMatch(value);
        }
        return h.invert() ? holds.negate() : holds;
    }

    private static Predicate<RequestFacts> queryCondition(QueryMatch q) {
        Predicate<String> value = valueCondition(q.exact(), null, q.regex());
        if (value == null) {
            boolean wanted = q.present() == null || q.present();
            return r -> !r.queryParameter(q.name()).isEmpty() == wanted;
        }
        return r -> r.queryParameter(q.name()).stream().anyMatch(value);
    }

    /** The value test, or null when the condition is about presence only. */
    private static Predicate<String> valueCondition(String exact, String prefix, String regex) {
        if (exact != null) {
            return exact::equals;
        }
        if (prefix != null) {
            return v -> v.startsWith(prefix);
        }
        if (regex != null) {
            Pattern p = Pattern.compile(regex);
            return v -> p.matcher(v).matches();
        }
        return null;
    }
}

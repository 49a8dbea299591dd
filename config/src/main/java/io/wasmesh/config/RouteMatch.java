package io.wasmesh.config;

import java.util.List;
import java.util.Locale;

/**
 * What requests a route takes: every condition given must hold. At most one of {@code path}, {@code
 * prefix} and {@code regex}; with none of them the prefix is {@code /}.
 *
 * @param host the request host, lower-cased: exact or a suffix wildcard ({@code *.example.com}),
 *     optionally with a port; {@code null} for any host
 * @param path the exact request path (without the query), or {@code null}
 * @param prefix a prefix of the request path, or {@code null}
 * @param regex a {@link java.util.regex.Pattern} the whole path must match, or {@code null}
 * @param methods the methods accepted, upper-cased; empty for any
 * @param headers conditions on request headers; default none
 * @param query conditions on query parameters; default none
 */
public record RouteMatch(
        String host,
        String path,
        String prefix,
        String regex,
        List<String> methods,
        List<HeaderMatch> headers,
        List<QueryMatch> query) {

    /** Every request. */
    public static final RouteMatch ANY = new RouteMatch(null, null, "/", null, null, null, null);

    public RouteMatch {
        host = host == null ? null : host.toLowerCase(Locale.ROOT);
        if (path == null && prefix == null && regex == null) {
            prefix = "/";
        }
        methods = Immutables.list(methods).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        headers = Immutables.list(headers);
        query = Immutables.list(query);
    }

    /** Whether the path condition is the default one, which every path meets (prefix {@code /}). */
    public boolean pathIsDefault() {
        return path == null && regex == null && "/".equals(prefix);
    }
}

package io.wasmesh.config;

/**
 * A route action: answer with a redirect. What is not given is kept from the request; at least one
 * of scheme, host, port, path and prefixRewrite is given, and not both path and prefixRewrite.
 *
 * @param status 301, 302, 303, 307 or 308; default 302 (in Java, 0 means the default)
 * @param scheme {@code http} or {@code https}, or {@code null}
 * @param host the new host, or {@code null}
 * @param port the new port, or {@code null}
 * @param path the new path, or {@code null}
 * @param prefixRewrite replaces the part of the path the route's prefix matched, or {@code null}
 */
public record Redirect(
        int status, String scheme, String host, Integer port, String path, String prefixRewrite)
        implements RouteAction {

    public Redirect {
        status = status == 0 ? 302 : status;
    }
}

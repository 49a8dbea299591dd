package io.wasmesh.wasm.wagi;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CGI 1.1 environment (RFC 3875 §4.1) of a request, as WAGI gives it: {@code REQUEST_METHOD},
 * {@code SCRIPT_NAME}, {@code PATH_INFO}, {@code QUERY_STRING}, {@code CONTENT_TYPE}, {@code
 * CONTENT_LENGTH}, {@code SERVER_*}, {@code REMOTE_ADDR}, and every header as {@code HTTP_NAME}
 * (except {@code Authorization}, which CGI withholds from scripts).
 */
final class CgiVariables {
    private CgiVariables() {}

    static Map<String, String> of(CgiRequest r) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_SOFTWARE", "wasmesh");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REQUEST_METHOD", r.method());
        env.put("SCRIPT_NAME", r.scriptName());
        env.put("PATH_INFO", r.pathInfo());
        env.put("QUERY_STRING", r.query());
        env.put("SERVER_NAME", r.serverName());
        env.put("SERVER_PORT", Integer.toString(r.serverPort()));
        env.put("REMOTE_ADDR", r.remoteAddress() == null ? "" : r.remoteAddress());
        env.put("HTTPS", "https".equals(r.scheme()) ? "on" : "off");
        env.put("CONTENT_LENGTH", Integer.toString(r.body().length));
        String type = r.headers().get("content-type");
        if (type != null) {
            env.put("CONTENT_TYPE", type);
        }
        for (Map.Entry<String, String> h : r.headers().entries()) {
            String name = h.getKey();
            if (name.startsWith(":")
                    || name.equals("authorization")
                    || name.equals("content-type")
                    || name.equals("content-length")) {
                continue;
            }
            String key = "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            env.merge(key, h.getValue(), (a, b) -> a + ", " + b);
        }
        return env;
    }
}

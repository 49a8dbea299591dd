package io.wasmesh.config.internal;

import java.util.regex.Pattern;

/**
 * Paths into the model as errors show them: {@code tenants[0].routes[2].match.prefix}. A map key
 * that is not a plain identifier is quoted: {@code filters["auth.v2"]}. The document itself is the
 * empty path.
 */
public final class ConfigPaths {

    public static final String ROOT = "";

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    private ConfigPaths() {}

    public static String field(String parent, String name) {
        if (!PLAIN_KEY.matcher(name).matches()) {
            String quoted = name.replace("\\", "\\\\").replace("\"", "\\\"");
            return parent + "[\"" + quoted + "\"]";
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }

    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing path; the root's parent is the root. */
    public static String parent(String path) {
        if (path.endsWith("\"]")) {
            return path.substring(0, path.lastIndexOf("[\""));
        }
        if (path.endsWith("]")) {
            return path.substring(0, path.lastIndexOf('['));
        }
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf(']');
        if (dot > bracket) {
            return path.substring(0, dot);
        }
        return bracket >= 0 ? path.substring(0, bracket + 1) : ROOT;
    }
}

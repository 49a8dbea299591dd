package io.wasmesh.config.internal;

import java.util.HashMap;
import java.util.Map;

/** Where each value (and each object key) of a document was in its text, by path. */
public final class SourceMap {

    private final Map<String, Position> values = new HashMap<>();
    private final Map<String, Position> keys = new HashMap<>();

    public void value(String path, Position position) {
        values.put(path, position);
    }

    public void key(String path, Position position) {
        keys.put(path, position);
    }

    /** Where the value at {@code path} starts; for a path not in the text, its closest ancestor. */
    public Position valueAt(String path) {
        String p = path;
        while (!values.containsKey(p)) {
            if (p.isEmpty()) {
                return Position.START;
            }
            p = ConfigPaths.parent(p);
        }
        return values.get(p);
    }

    /** Where the key of the field at {@code path} is; its value's place if it has no key. */
    public Position keyAt(String path) {
        Position key = keys.get(path);
        return key != null ? key : valueAt(path);
    }
}

package io.wasmesh.wasm.proxywasm.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ordered multi-map of HTTP header fields with lowercase names, pseudo-headers ({@code :method},
 * {@code :path}, {@code :authority}, {@code :scheme}, {@code :status}) included as ordinary
 * entries, the way proxy-wasm filters see them. Not thread-safe: a map belongs to one stream and is
 * handed between threads only through futures.
 */
public final class HeaderMap {
    private final List<Map.Entry<String, String>> entries;

    public HeaderMap() {
        // Pseudo-headers, the client's own and the x-forwarded-* set: rarely more than 16.
        this.entries = new ArrayList<>(16);
    }

    private HeaderMap(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    public static HeaderMap of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        HeaderMap map = new HeaderMap();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    public HeaderMap copy() {
        List<Map.Entry<String, String>> copy = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> e : entries) {
            copy.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        }
        return new HeaderMap(copy);
    }

    /**
     * Lower-cases a name. Names are nearly always lower-case already (HTTP/2 requires it, and the
     * host's own lookups use constants): a plain ASCII scan finds that out cheaper than {@link
     * String#toLowerCase}, which a request calls dozens of times.
     */
    private static String normalize(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c > 0x7f) {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    /** The first value of {@code name}, or null. Envoy answers with the first value too. */
    public String get(String name) {
        String n = normalize(name);
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equals(n)) {
                return e.getValue();
            }
        }
        return null;
    }

    public List<String> getAll(String name) {
        String n = normalize(name);
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equals(n)) {
                values.add(e.getValue());
            }
        }
        return values;
    }

    /** Adds one more value, keeping existing ones. */
    public HeaderMap add(String name, String value) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(normalize(name), value));
        return this;
    }

    /**
     * Replaces every value of {@code name} with one (adds it when absent), keeping the first one's
     * position.
     */
    public HeaderMap set(String name, String value) {
        String n = normalize(name);
        int first = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getKey().equals(n)) {
                if (first < 0) {
                    first = i;
                } else {
                    entries.remove(i--);
                }
            }
        }
        var entry = new AbstractMap.SimpleImmutableEntry<>(n, value);
        if (first < 0) {
            entries.add(entry);
        } else {
            entries.set(first, entry);
        }
        return this;
    }

    public HeaderMap remove(String name) {
        String n = normalize(name);
        entries.removeIf(e -> e.getKey().equals(n));
        return this;
    }

    public void replaceAll(HeaderMap other) {
        entries.clear();
        entries.addAll(other.entries);
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries in order; unmodifiable. */
    public List<Map.Entry<String, String>> entries() {
        return Collections.unmodifiableList(entries);
    }

    /**
     * Bytes these headers take on the wire (names, values, ": " and CRLF), as Envoy's headers_bytes
     * counts.
     */
    public long byteSize() {
        long n = 0;
        for (Map.Entry<String, String> e : entries) {
            n += e.getKey().length() + e.getValue().length() + 4;
        }
        return n;
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderMap && ((HeaderMap) o).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}

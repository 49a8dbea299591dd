package io.wasmesh.config;

import java.util.List;
import java.util.Map;

/** Defensive copies for the records' compact constructors: {@code null} becomes empty. */
final class Immutables {
    private Immutables() {}

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** A copy, or {@code null} when absent: for lists whose absence means something. */
    static <T> List<T> listOrNull(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }
}

package io.wasmesh.wasm.proxywasm.hostcalls;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.memory.HeaderPairs;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Envoy's attributes, by path, encoded as Envoy encodes them: strings raw, integers as 8-byte
 * little-endian, booleans as one byte, times and durations as int64 nanoseconds, maps as header
 * pairs. The plugin's identity and the {@code request.*}/{@code response.*} attributes come from
 * what the host holds; the rest from the embedder's {@link
 * io.wasmesh.wasm.proxywasm.spi.StreamInfo}; values a filter set with {@code proxy_set_property}
 * shadow nothing the host knows and are read back under their own path.
 */
final class Properties {
    private static final List<String> DOTTED_ROOTS =
            List.of(
                    "request",
                    "response",
                    "source",
                    "destination",
                    "connection",
                    "upstream",
                    "plugin",
                    "xds");

    private Properties() {}

    /**
     * Splits a property path: segments are NUL-separated; a lone dotted name of a known root splits
     * on dots.
     */
    static List<String> parsePath(String raw) {
        List<String> path = new ArrayList<>(Arrays.asList(raw.split("\0", -1)));
        path.removeIf(String::isEmpty);
        if (path.size() == 1
                && raw.indexOf('.') > 0
                && DOTTED_ROOTS.contains(raw.substring(0, raw.indexOf('.')))) {
            String[] parts = raw.split("\\.", 3);
            return Arrays.asList(parts);
        }
        return path;
    }

    static String stateKey(List<String> path) {
        return String.join(".", path);
    }

    /** The encoded value, or null when the property is unknown. */
    static byte[] get(ProxyWasmVm vm, List<String> path, Map<String, byte[]> rootState) {
        if (path.isEmpty()) {
            return null;
        }
        StreamState s = vm.effectiveStream();
        Map<String, byte[]> state = s != null ? s.filterState() : rootState;
        byte[] set = state.get(stateKey(path));
        if (set != null) {
            return set;
        }
        Object value = lookup(vm, s, path);
        return value == null ? null : encode(value);
    }

    private static Object lookup(ProxyWasmVm vm, StreamState s, List<String> path) {
        String root = path.get(0);
        switch (root) {
            case "plugin_name":
                return vm.config().name();
            case "plugin_root_id":
                return vm.config().rootId();
            case "plugin_vm_id":
                return vm.config().vmId();
            case "request":
                if (s != null && path.size() >= 2) {
                    Object v = request(s, path);
                    if (v != null) {
                        return v;
                    }
                }
                break;
            case "response":
                if (s != null && path.size() >= 2) {
                    Object v = response(s, path);
                    if (v != null) {
                        return v;
                    }
                }
                break;
            default:
                break;
        }
        return s == null ? null : s.info().property(path);
    }

    private static Object request(StreamState s, List<String> path) {
        HeaderMap h = s.requestHeaders();
        if (h == null) {
            return null;
        }
        String pathHeader = h.get(":path");
        switch (path.get(1)) {
            case "path":
                return pathHeader;
            case "url_path":
                return pathHeader == null ? null : pathHeader.split("\\?", 2)[0];
            case "query":
                return pathHeader == null || !pathHeader.contains("?")
                        ? ""
                        : pathHeader.split("\\?", 2)[1];
            case "host":
                return h.get(":authority");
            case "scheme":
                return h.get(":scheme");
            case "method":
                return h.get(":method");
            case "referer":
                return h.get("referer");
            case "useragent":
                return h.get("user-agent");
            case "id":
                return h.get("x-request-id");
            case "headers":
                return path.size() == 3 ? h.get(path.get(2)) : h;
            case "headers_bytes":
                return h.byteSize();
            case "size":
                return s.bodyBytes(0);
            case "total_size":
                return s.bodyBytes(0) + h.byteSize();
            case "duration":
                return Duration.ofNanos(System.nanoTime() - s.startNanos());
            default:
                return null;
        }
    }

    private static Object response(StreamState s, List<String> path) {
        HeaderMap h = s.responseHeaders();
        if (h == null) {
            return null;
        }
        switch (path.get(1)) {
            case "code":
                String status = h.get(":status");
                return status == null ? null : Long.valueOf(status);
            case "headers":
                return path.size() == 3 ? h.get(path.get(2)) : h;
            case "trailers":
                return s.responseTrailers();
            case "headers_bytes":
                return h.byteSize();
            case "size":
                return s.bodyBytes(1);
            case "total_size":
                return s.bodyBytes(1) + h.byteSize();
            default:
                return null;
        }
    }

    static byte[] encode(Object value) {
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof String) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Boolean) {
            return new byte[] {(byte) (((Boolean) value) ? 1 : 0)};
        }
        if (value instanceof Number) {
            return int64(((Number) value).longValue());
        }
        if (value instanceof Duration) {
            return int64(((Duration) value).toNanos());
        }
        if (value instanceof Instant) {
            Instant t = (Instant) value;
            return int64(t.getEpochSecond() * 1_000_000_000L + t.getNano());
        }
        if (value instanceof HeaderMap) {
            return HeaderPairs.serialize((HeaderMap) value);
        }
        if (value instanceof Map) {
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                entries.add(
                        new AbstractMap.SimpleImmutableEntry<>(
                                String.valueOf(e.getKey()), String.valueOf(e.getValue())));
            }
            return HeaderPairs.serialize(entries);
        }
        if (value instanceof List) {
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            for (Object o : (List<?>) value) {
                entries.add(new AbstractMap.SimpleImmutableEntry<>(String.valueOf(o), ""));
            }
            return HeaderPairs.serialize(entries);
        }
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] int64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}

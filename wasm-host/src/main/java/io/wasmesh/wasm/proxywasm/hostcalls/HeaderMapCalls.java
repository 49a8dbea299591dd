package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.MapType;
import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.memory.HeaderPairs;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.nio.charset.StandardCharsets;

/**
 * Header and trailer maps: get/set all pairs, get/add/replace/remove one value, size. A map type
 * that does not name a map (or names gRPC metadata, which this host does not carry) is
 * BAD_ARGUMENT; a valid map that does not exist yet in this stream reads as empty. HTTP-call
 * response maps are read-only.
 */
final class HeaderMapCalls {
    private HeaderMapCalls() {}

    /** The map for reading, or null for BAD_ARGUMENT. */
    private static HeaderMap readable(ProxyWasmVm vm, int type) {
        if (type == MapType.HTTP_CALL_RESPONSE_HEADERS
                || type == MapType.HTTP_CALL_RESPONSE_TRAILERS) {
            HttpCallResponse r = vm.currentHttpCallResponse();
            if (r == null) {
                return new HeaderMap();
            }
            return type == MapType.HTTP_CALL_RESPONSE_HEADERS ? r.headers() : r.trailers();
        }
        if (type < MapType.HTTP_REQUEST_HEADERS || type > MapType.HTTP_RESPONSE_TRAILERS) {
            return null;
        }
        StreamState s = vm.effectiveStream();
        HeaderMap map = s == null ? null : s.map(type, false);
        return map == null ? new HeaderMap() : map;
    }

    /** The map for writing, or null when it cannot be written (BAD_ARGUMENT). */
    private static HeaderMap writable(ProxyWasmVm vm, int type) {
        if (type < MapType.HTTP_REQUEST_HEADERS || type > MapType.HTTP_RESPONSE_TRAILERS) {
            return null;
        }
        StreamState s = vm.effectiveStream();
        return s == null ? null : s.map(type, true);
    }

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_get_header_map_size",
                2,
                a -> {
                    HeaderMap map = readable(vm, i32(a, 0));
                    if (map == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    vm.memory().writeU32(i32(a, 1), HeaderPairs.serialize(map).length);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_get_header_map_pairs",
                3,
                a -> {
                    HeaderMap map = readable(vm, i32(a, 0));
                    if (map == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    byte[] bytes = map.isEmpty() ? new byte[0] : HeaderPairs.serialize(map);
                    vm.memory().returnBytes(bytes, i32(a, 1), i32(a, 2));
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_set_header_map_pairs",
                3,
                a -> {
                    HeaderMap map = writable(vm, i32(a, 0));
                    if (map == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    HeaderMap parsed;
                    try {
                        parsed = HeaderPairs.deserialize(vm.memory().read(i32(a, 1), i32(a, 2)));
                    } catch (IllegalArgumentException malformed) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    map.replaceAll(parsed);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_get_header_map_value",
                5,
                a -> {
                    HeaderMap map = readable(vm, i32(a, 0));
                    if (map == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    String value = map.get(vm.memory().readString(i32(a, 1), i32(a, 2)));
                    if (value == null) {
                        if (vm.abi().missingHeaderIsNotFound()) {
                            return WasmResult.NOT_FOUND;
                        }
                        value = "";
                    }
                    vm.memory()
                            .returnBytes(
                                    value.getBytes(StandardCharsets.UTF_8), i32(a, 3), i32(a, 4));
                    return WasmResult.OK;
                });
        fns.env("proxy_add_header_map_value", 5, a -> edit(vm, a, false));
        fns.env("proxy_replace_header_map_value", 5, a -> edit(vm, a, true));
        fns.env(
                "proxy_remove_header_map_value",
                3,
                a -> {
                    HeaderMap map = writable(vm, i32(a, 0));
                    if (map == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    map.remove(vm.memory().readString(i32(a, 1), i32(a, 2)));
                    return WasmResult.OK;
                });
    }

    private static int edit(ProxyWasmVm vm, long[] a, boolean replace) {
        HeaderMap map = writable(vm, i32(a, 0));
        if (map == null) {
            return WasmResult.BAD_ARGUMENT;
        }
        String name = vm.memory().readString(i32(a, 1), i32(a, 2));
        String value = vm.memory().readString(i32(a, 3), i32(a, 4));
        if (name.isEmpty() || map.size() >= HeaderPairs.MAX_PAIRS) {
            return WasmResult.BAD_ARGUMENT;
        }
        if (replace) {
            map.set(name, value);
        } else {
            map.add(name, value);
        }
        return WasmResult.OK;
    }
}

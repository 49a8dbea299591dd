package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.memory.HeaderPairs;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;

/**
 * {@code proxy_http_call}: an asynchronous call to a named upstream. As in Envoy, {@code :method},
 * {@code :path} and {@code :authority} are required (BAD_ARGUMENT otherwise), an upstream the
 * tenant may not call is BAD_ARGUMENT, and the answer comes later through {@code
 * proxy_on_http_call_response} on the root context.
 */
final class HttpCallCalls {
    private HttpCallCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_http_call",
                10,
                a -> {
                    String upstream = vm.memory().readString(i32(a, 0), i32(a, 1));
                    HeaderMap headers;
                    HeaderMap trailers;
                    try {
                        headers = HeaderPairs.deserialize(vm.memory().read(i32(a, 2), i32(a, 3)));
                        trailers = HeaderPairs.deserialize(vm.memory().read(i32(a, 6), i32(a, 7)));
                    } catch (IllegalArgumentException malformed) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    byte[] body = vm.memory().read(i32(a, 4), i32(a, 5));
                    long timeoutMillis = Integer.toUnsignedLong(i32(a, 8));
                    int tokenPtr = i32(a, 9);
                    vm.memory().check(tokenPtr, 4);
                    if (headers.get(":method") == null
                            || headers.get(":path") == null
                            || headers.get(":authority") == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    int token;
                    try {
                        token = vm.httpCall(upstream, headers, body, trailers, timeoutMillis);
                    } catch (HttpCallDispatcher.UnknownUpstreamException e) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    vm.memory().writeU32(tokenPtr, token);
                    return WasmResult.OK;
                });
    }
}

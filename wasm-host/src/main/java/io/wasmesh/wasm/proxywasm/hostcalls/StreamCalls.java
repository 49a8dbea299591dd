package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.abi.StreamType;
import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.memory.HeaderPairs;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import java.nio.charset.StandardCharsets;

/**
 * Stream control: resume, close, answer locally, and the status of the last HTTP call. Their
 * effects apply when the current guest call returns (never re-entering the guest).
 */
final class StreamCalls {
    private StreamCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env("proxy_continue_stream", 1, a -> resume(vm, StreamType.of(i32(a, 0))));
        fns.env(
                "proxy_close_stream",
                1,
                a ->
                        vm.closeStream(StreamType.of(i32(a, 0)))
                                ? WasmResult.OK
                                : WasmResult.BAD_ARGUMENT);
        fns.env(
                "proxy_send_local_response",
                8,
                a -> {
                    int status = i32(a, 0);
                    String details = vm.memory().readString(i32(a, 1), i32(a, 2));
                    byte[] body = vm.memory().read(i32(a, 3), i32(a, 4));
                    HeaderMap headers;
                    try {
                        headers = HeaderPairs.deserialize(vm.memory().read(i32(a, 5), i32(a, 6)));
                    } catch (IllegalArgumentException malformed) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    if (status < 100
                            || status > 999
                            || body.length > vm.config().responseBodyBufferLimit()) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    LocalReply reply = new LocalReply(status, details, body, headers, i32(a, 7));
                    return vm.sendLocalResponse(reply) ? WasmResult.OK : WasmResult.NOT_FOUND;
                });
        fns.env(
                "proxy_get_status",
                3,
                a -> {
                    vm.memory().writeU32(i32(a, 0), vm.statusCode());
                    vm.memory()
                            .returnBytes(
                                    vm.statusMessage().getBytes(StandardCharsets.UTF_8),
                                    i32(a, 1),
                                    i32(a, 2));
                    return WasmResult.OK;
                });
        // ABI 0.1.0 spellings. Their return type varies between SDK versions; the linker adapts it.
        fns.env("proxy_continue_request", 0, a -> resume(vm, StreamType.HTTP_REQUEST));
        fns.env("proxy_continue_response", 0, a -> resume(vm, StreamType.HTTP_RESPONSE));
        // Route re-selection belongs to the proxy, which re-matches after header changes anyway.
        fns.env("proxy_clear_route_cache", 0, a -> WasmResult.OK);
    }

    private static int resume(ProxyWasmVm vm, StreamType type) {
        if (type == null) {
            return WasmResult.BAD_ARGUMENT;
        }
        if (type == StreamType.DOWNSTREAM || type == StreamType.UPSTREAM) {
            return WasmResult.UNIMPLEMENTED; // no TCP filters in this host
        }
        return vm.continueStream(type) ? WasmResult.OK : WasmResult.NOT_FOUND;
    }
}

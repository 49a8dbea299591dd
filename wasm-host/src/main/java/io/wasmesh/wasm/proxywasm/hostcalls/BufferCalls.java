package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.BufferType;
import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.http.BodyBuffer;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;

/**
 * Buffers: request and response bodies (read and edit), the HTTP-call response body, and the VM and
 * plugin configuration. Configuration buffers are readable at any time (Envoy limits them to their
 * callbacks; being lenient breaks no filter). Also ABI 0.1.0's {@code proxy_get_configuration}.
 */
final class BufferCalls {
    private static final int END_OF_STREAM = 1;

    private BufferCalls() {}

    /** Read-only buffers by type; null when not available now. */
    private static byte[] fixedBuffer(ProxyWasmVm vm, int type) {
        switch (type) {
            case BufferType.VM_CONFIGURATION:
                return vm.config().vmConfiguration();
            case BufferType.PLUGIN_CONFIGURATION:
                return vm.config().configuration();
            case BufferType.HTTP_CALL_RESPONSE_BODY:
                HttpCallResponse r = vm.currentHttpCallResponse();
                return r == null ? null : r.body();
            default:
                return null;
        }
    }

    private static BodyBuffer body(ProxyWasmVm vm, int type) {
        if (type != BufferType.HTTP_REQUEST_BODY && type != BufferType.HTTP_RESPONSE_BODY) {
            return null;
        }
        StreamState s = vm.effectiveStream();
        return s == null ? null : s.bodyBuffer(type);
    }

    private static boolean known(int type) {
        return type >= BufferType.HTTP_REQUEST_BODY
                && type <= BufferType.FOREIGN_FUNCTION_ARGUMENTS;
    }

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_get_buffer_bytes",
                5,
                a -> {
                    int type = i32(a, 0);
                    int start = i32(a, 1);
                    long max = Integer.toUnsignedLong(i32(a, 2));
                    if (!known(type)) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    if (start < 0) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    byte[] out;
                    BodyBuffer b = body(vm, type);
                    if (b != null) {
                        out = b.slice(start, (int) Math.min(max, Integer.MAX_VALUE));
                    } else {
                        byte[] fixed = fixedBuffer(vm, type);
                        if (fixed == null) {
                            return WasmResult.NOT_FOUND;
                        }
                        int from = Math.min(start, fixed.length);
                        int n = (int) Math.min(max, fixed.length - from);
                        out = java.util.Arrays.copyOfRange(fixed, from, from + n);
                    }
                    vm.memory().returnBytes(out, i32(a, 3), i32(a, 4));
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_set_buffer_bytes",
                5,
                a -> {
                    int type = i32(a, 0);
                    if (!known(type)) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    BodyBuffer b = body(vm, type);
                    if (b == null) {
                        return WasmResult.NOT_FOUND;
                    }
                    int start = i32(a, 1);
                    int size = i32(a, 2);
                    byte[] value = vm.memory().read(i32(a, 3), i32(a, 4));
                    if (start < 0 || size < 0) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    int limit =
                            type == BufferType.HTTP_REQUEST_BODY
                                    ? vm.config().bodyBufferLimit()
                                    : vm.config().responseBodyBufferLimit();
                    if ((long) b.length() - Math.min(size, b.length()) + value.length > limit) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    return b.edit(start, size, value) ? WasmResult.OK : WasmResult.BAD_ARGUMENT;
                });
        fns.env(
                "proxy_get_buffer_status",
                3,
                a -> {
                    int type = i32(a, 0);
                    if (!known(type)) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    int length;
                    int flags = 0;
                    BodyBuffer b = body(vm, type);
                    if (b != null) {
                        length = b.length();
                        flags = vm.effectiveStream().endOfStream(type) ? END_OF_STREAM : 0;
                    } else {
                        byte[] fixed = fixedBuffer(vm, type);
                        if (fixed == null) {
                            return WasmResult.NOT_FOUND;
                        }
                        length = fixed.length;
                    }
                    vm.memory().writeU32(i32(a, 1), length);
                    vm.memory().writeU32(i32(a, 2), flags);
                    return WasmResult.OK;
                });
        // ABI 0.1.0: the configuration of the callback in progress; the plugin's serves both.
        fns.env(
                "proxy_get_configuration",
                2,
                a -> {
                    vm.memory().returnBytes(vm.config().configuration(), i32(a, 0), i32(a, 1));
                    return WasmResult.OK;
                });
    }
}

package io.wasmesh.wasm.proxywasm.vm;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.GuestCall;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.LogSink;
import io.wasmesh.wasm.proxywasm.spi.TickScheduler;
import io.wasmesh.wasm.proxywasm.tenant.TenantState;
import io.wasmesh.wasm.testing.TestHost;
import io.wasmesh.wasm.testing.Wat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls proxy-wasm host functions one at a time, as a guest would, and reads back what they wrote
 * into guest memory. The guest is a WAT module that imports each host function and exports it again
 * as {@code probe:NAME}, so a call goes through Endive's import linking and the host's bounds
 * checks exactly as from compiled guest code. Calls run on the test thread, inside one open stream
 * whose context is the effective one.
 */
final class AbiProbe implements AutoCloseable {
    /** Host functions and their parameter types ({@code i} = i32, {@code I} = i64). */
    static final Map<String, String> SIGNATURES = new LinkedHashMap<>();

    static {
        SIGNATURES.put("proxy_get_shared_data", "iiiii");
        SIGNATURES.put("proxy_set_shared_data", "iiiii");
        SIGNATURES.put("proxy_register_shared_queue", "iii");
        SIGNATURES.put("proxy_resolve_shared_queue", "iiiii");
        SIGNATURES.put("proxy_enqueue_shared_queue", "iii");
        SIGNATURES.put("proxy_dequeue_shared_queue", "iii");
        SIGNATURES.put("proxy_define_metric", "iiii");
        SIGNATURES.put("proxy_record_metric", "iI");
        SIGNATURES.put("proxy_increment_metric", "iI");
        SIGNATURES.put("proxy_get_metric", "ii");
        SIGNATURES.put("proxy_get_header_map_value", "iiiii");
        SIGNATURES.put("proxy_add_header_map_value", "iiiii");
        SIGNATURES.put("proxy_replace_header_map_value", "iiiii");
        SIGNATURES.put("proxy_remove_header_map_value", "iii");
        SIGNATURES.put("proxy_get_header_map_pairs", "iii");
        SIGNATURES.put("proxy_set_header_map_pairs", "iii");
        SIGNATURES.put("proxy_get_header_map_size", "ii");
        SIGNATURES.put("proxy_get_buffer_bytes", "iiiii");
        SIGNATURES.put("proxy_set_buffer_bytes", "iiiii");
        SIGNATURES.put("proxy_get_buffer_status", "iii");
        SIGNATURES.put("proxy_get_property", "iiii");
        SIGNATURES.put("proxy_set_property", "iiii");
        SIGNATURES.put("proxy_get_status", "iii");
        SIGNATURES.put("proxy_set_effective_context", "i");
        SIGNATURES.put("proxy_send_local_response", "iiiiiiiii");
        SIGNATURES.put("proxy_http_call", "iiiiiiiiii");
        SIGNATURES.put("proxy_continue_stream", "i");
        SIGNATURES.put("proxy_close_stream", "i");
        SIGNATURES.put("proxy_log", "iii");
        SIGNATURES.put("proxy_get_log_level", "i");
        SIGNATURES.put("proxy_get_current_time_nanoseconds", "i");
        SIGNATURES.put("proxy_set_tick_period_milliseconds", "i");
        SIGNATURES.put("proxy_done", "");
    }

    private static final WasmScheduler SCHEDULER =
            new WasmScheduler(WasmScheduler.Config.defaults().withWorkers(1));
    private static final int SCRATCH = 0x100; // inputs written by the probe, up to the heap
    private static final int HEAP = 0x8000; // the guest allocator's bump pointer starts here

    final ProxyWasmVm vm;
    final StreamState stream;
    final HeaderMap requestHeaders;
    final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    private int scratch = SCRATCH;

    AbiProbe(TenantState tenant, PluginConfig config, String abiMarker, HttpCallDispatcher calls) {
        CompiledModule module = TestHost.MODULES.load(Wat.compile(wat(abiMarker)));
        LogSink sink = (plugin, level, message) -> logs.add(level + " " + message);
        vm =
                ProxyWasmVm.start(
                        new VmEnvironment(
                                module,
                                config,
                                tenant,
                                calls,
                                TickScheduler.daemonTimer(),
                                sink,
                                SCHEDULER.newLane(config.tenant()),
                                null));
        stream = new StreamState(StreamObserver.IGNORE, null);
        requestHeaders = HeaderMap.of(":method", "GET", ":path", "/p?q=1", ":authority", "h");
        vm.onRequestHeaders(stream, requestHeaders, false);
    }

    static AbiProbe of(TenantState tenant) {
        return new AbiProbe(
                tenant,
                TestHost.plugin("probe").build(),
                "proxy_abi_version_0_2_1",
                HttpCallDispatcher.NONE);
    }

    private static String wat(String abiMarker) {
        StringBuilder w = new StringBuilder("(module\n");
        SIGNATURES.forEach(
                (name, params) -> {
                    StringBuilder p = new StringBuilder();
                    for (char c : params.toCharArray()) {
                        p.append(c == 'I' ? " i64" : " i32");
                    }
                    w.append("  (import \"env\" \"")
                            .append(name)
                            .append("\" (func $")
                            .append(name)
                            .append(params.isEmpty() ? "" : " (param" + p + ")")
                            .append(" (result i32)))\n");
                    w.append("  (export \"probe:")
                            .append(name)
                            .append("\" (func $")
                            .append(name)
                            .append("))\n");
                });
        w.append("  (memory (export \"memory\") 2)\n")
                .append("  (global $heap (mut i32) (i32.const ")
                .append(HEAP)
                .append("))\n")
                .append("  (func (export \"")
                .append(abiMarker)
                .append("\"))\n")
                .append(
                        """
                          (func (export "proxy_on_memory_allocate") (param i32) (result i32)
                            (local $p i32)
                            (local.set $p (global.get $heap))
                            (global.set $heap (i32.add (global.get $heap) (local.get 0)))
                            (local.get $p))
                          (func (export "proxy_on_context_create") (param i32 i32))
                          (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                            (i32.const 0))
                          (func (export "proxy_on_queue_ready") (param i32 i32))
                          (func (export "proxy_on_http_call_response") (param i32 i32 i32 i32 i32)))
                        """);
        return w.toString();
    }

    /** Calls host function {@code name} with the stream's context effective; its status. */
    int call(String name, long... args) {
        vm.setEffectiveContext(stream.contextId);
        return callAsIs(name, args);
    }

    /** Calls host function {@code name} with whatever context is effective now. */
    int callAsIs(String name, long... args) {
        long[] r =
                GuestCall.invoke(
                        vm.instance(),
                        vm.instance().export("probe:" + name),
                        System.nanoTime() + 1_000_000_000L,
                        args);
        return (int) r[0];
    }

    /** Copies {@code bytes} into guest memory; their address. */
    int put(byte[] bytes) {
        if (scratch + bytes.length + 8 > HEAP) {
            throw new IllegalStateException("probe scratch space exhausted");
        }
        int at = scratch;
        vm.instance().memory().write(at, bytes);
        scratch += (bytes.length + 7) & ~7;
        return at;
    }

    int put(String s) {
        return put(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Room for one u32/u64 out-parameter, zeroed. */
    int out() {
        return put(new byte[8]);
    }

    int u32(int ptr) {
        return vm.instance().memory().readInt(ptr);
    }

    long u64(int ptr) {
        return vm.instance().memory().readLong(ptr);
    }

    /** The bytes a host function returned through ({@code ptrPtr}, {@code lenPtr}). */
    byte[] returned(int ptrPtr, int lenPtr) {
        int len = u32(lenPtr);
        return len == 0 ? new byte[0] : vm.instance().memory().readBytes(u32(ptrPtr), len);
    }

    String returnedString(int ptrPtr, int lenPtr) {
        return new String(returned(ptrPtr, lenPtr), StandardCharsets.UTF_8);
    }

    static long le64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Override
    public void close() {
        vm.completeStream(stream);
        vm.close();
    }
}

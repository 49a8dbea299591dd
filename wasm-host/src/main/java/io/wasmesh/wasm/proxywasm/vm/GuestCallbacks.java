package io.wasmesh.wasm.proxywasm.vm;

import io.wasmesh.wasm.engine.CompiledModule;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;

/**
 * The guest's proxy-wasm callbacks, looked up once per instance. A callback the module does not
 * export is null and is simply not called (all callbacks are optional). The declared parameter
 * count of each is kept, so a module that exports, say, the ABI 0.1.0 two-argument {@code
 * proxy_on_request_headers} is called with two arguments.
 */
final class GuestCallbacks {

    /** One exported function and how many parameters it declares. */
    static final class Callback {
        final String name;
        final ExportFunction function;
        final int arity;

        Callback(String name, ExportFunction function, int arity) {
            this.name = name;
            this.function = function;
            this.arity = arity;
        }
    }

    final Callback onContextCreate;
    final Callback onVmStart;
    final Callback onConfigure;
    final Callback onRequestHeaders;
    final Callback onRequestBody;
    final Callback onRequestTrailers;
    final Callback onResponseHeaders;
    final Callback onResponseBody;
    final Callback onResponseTrailers;
    final Callback onHttpCallResponse;
    final Callback onTick;
    final Callback onQueueReady;
    final Callback onDone;
    final Callback onLog;
    final Callback onDelete;
    final Callback allocate;
    final Callback initialize;
    final Callback main;
    final Callback start;

    GuestCallbacks(CompiledModule module, Instance instance) {
        onContextCreate = find(module, instance, "proxy_on_context_create");
        onVmStart = find(module, instance, "proxy_on_vm_start");
        onConfigure = find(module, instance, "proxy_on_configure");
        onRequestHeaders = find(module, instance, "proxy_on_request_headers");
        onRequestBody = find(module, instance, "proxy_on_request_body");
        onRequestTrailers = find(module, instance, "proxy_on_request_trailers");
        onResponseHeaders = find(module, instance, "proxy_on_response_headers");
        onResponseBody = find(module, instance, "proxy_on_response_body");
        onResponseTrailers = find(module, instance, "proxy_on_response_trailers");
        onHttpCallResponse = find(module, instance, "proxy_on_http_call_response");
        onTick = find(module, instance, "proxy_on_tick");
        onQueueReady = find(module, instance, "proxy_on_queue_ready");
        onDone = find(module, instance, "proxy_on_done");
        onLog = find(module, instance, "proxy_on_log");
        onDelete = find(module, instance, "proxy_on_delete");
        // The spec prefers proxy_on_memory_allocate; malloc is the fallback (AssemblyScript, older
        // Rust).
        Callback alloc = find(module, instance, "proxy_on_memory_allocate");
        allocate = alloc != null ? alloc : find(module, instance, "malloc");
        initialize = find(module, instance, "_initialize");
        Callback m = find(module, instance, "main");
        main = m != null && m.arity == 2 ? m : find(module, instance, "__main_void");
        start = find(module, instance, "_start");
    }

    private static Callback find(CompiledModule module, Instance instance, String name) {
        return module.exportedFunctionType(name)
                .map(type -> new Callback(name, instance.export(name), type.params().size()))
                .orElse(null);
    }
}

package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.tenant.SharedQueues;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;

/**
 * Shared queues, scoped to the plugin's tenant. Registering makes this VM's root context the one
 * told (through {@code proxy_on_queue_ready}) when items arrive. An empty vm_id in resolve means
 * the plugin's own.
 */
final class SharedQueueCalls {
    private SharedQueueCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        SharedQueues queues = vm.tenant().queues();
        fns.env(
                "proxy_register_shared_queue",
                3,
                a -> {
                    String name = vm.memory().readString(i32(a, 0), i32(a, 1));
                    vm.memory().check(i32(a, 2), 4);
                    int id = queues.register(vm.config().vmId(), name, vm.queueConsumer());
                    vm.memory().writeU32(i32(a, 2), id);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_resolve_shared_queue",
                5,
                a -> {
                    String vmId = vm.memory().readString(i32(a, 0), i32(a, 1));
                    String name = vm.memory().readString(i32(a, 2), i32(a, 3));
                    vm.memory().check(i32(a, 4), 4);
                    int id = queues.resolve(vmId.isEmpty() ? vm.config().vmId() : vmId, name);
                    if (id < 0) {
                        return WasmResult.NOT_FOUND;
                    }
                    vm.memory().writeU32(i32(a, 4), id);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_enqueue_shared_queue",
                3,
                a -> {
                    byte[] item = vm.memory().read(i32(a, 1), i32(a, 2));
                    switch (queues.enqueue(i32(a, 0), item)) {
                        case OK:
                            return WasmResult.OK;
                        case NOT_FOUND:
                            return WasmResult.NOT_FOUND;
                        default:
                            return WasmResult.BAD_ARGUMENT; // full
                    }
                });
        fns.env(
                "proxy_dequeue_shared_queue",
                3,
                a -> {
                    vm.memory().check(i32(a, 1), 4);
                    vm.memory().check(i32(a, 2), 4);
                    byte[] item;
                    try {
                        item = queues.dequeue(i32(a, 0));
                    } catch (IllegalArgumentException noSuchQueue) {
                        return WasmResult.NOT_FOUND;
                    }
                    if (item == null) {
                        return WasmResult.EMPTY;
                    }
                    vm.memory().returnBytes(item, i32(a, 1), i32(a, 2));
                    return WasmResult.OK;
                });
    }
}

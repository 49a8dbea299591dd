package io.wasmesh.wasm.proxywasm.hostcalls;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.memory.GuestMemoryException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportFunction;
import run.endive.runtime.WasmFunctionHandle;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * The host functions offered to one VM, by (module, name). Proxy-wasm functions are registered
 * through {@link #env}, which maps a bad guest pointer to {@code INVALID_MEMORY_ACCESS} in one
 * place, so no host function repeats that handling.
 */
public final class HostFunctions {

    /**
     * A proxy-wasm host function body: takes the raw arguments, returns a {@link WasmResult} code.
     */
    @FunctionalInterface
    public interface Body {
        int call(long[] args);
    }

    private final Map<String, ImportFunction> functions = new HashMap<>();

    static String key(String module, String name) {
        return module + '.' + name;
    }

    /**
     * Registers {@code env.name} taking {@code params} (all i32 unless given) and returning an i32
     * status.
     */
    public void env(String name, int i32Params, Body body) {
        ValType[] params = new ValType[i32Params];
        java.util.Arrays.fill(params, ValType.I32);
        env(name, params, body);
    }

    public void env(String name, ValType[] params, Body body) {
        add(
                "env",
                name,
                FunctionType.of(params, new ValType[] {ValType.I32}),
                (instance, args) -> new long[] {guarded(body, args)});
    }

    private static int guarded(Body body, long[] args) {
        try {
            return body.call(args);
        } catch (GuestMemoryException e) {
            return WasmResult.INVALID_MEMORY_ACCESS;
        }
    }

    public void add(String module, String name, FunctionType type, WasmFunctionHandle handle) {
        functions.put(key(module, name), new HostFunction(module, name, type, handle));
    }

    public void add(ImportFunction function) {
        functions.put(key(function.module(), function.name()), function);
    }

    public ImportFunction get(String module, String name) {
        return functions.get(key(module, name));
    }

    public Map<String, ImportFunction> all() {
        return Collections.unmodifiableMap(functions);
    }

    /** Reads an i32 argument as the unsigned value the guest meant. */
    static int i32(long[] args, int index) {
        return (int) args[index];
    }
}

package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.proxywasm.tenant.SharedData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import run.endive.runtime.HostFunction;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * The tenant's key-value store for WAGI services, imported from module {@code wasmesh}. It is the
 * tenant's proxy-wasm shared data (vm_id ""), so a service and the tenant's filters see the same
 * keys; no other tenant's.
 *
 * <pre>
 * i32 kv_get(i32 key, i32 key_len, i32 buf, i32 buf_cap)  value length (copies at most buf_cap
 *                                                         bytes), -1 missing, -3 bad pointer
 * i32 kv_set(i32 key, i32 key_len, i32 value, i32 len)    0, -2 over the tenant's quota, -3
 * i64 kv_add(i32 key, i32 key_len, i64 delta)             the new value of a decimal counter
 *                                                         (missing = 0), Long.MIN_VALUE on error
 * </pre>
 *
 * <p>Without a store the i32 functions answer -4 and {@code kv_add} Long.MIN_VALUE.
 */
final class KvCalls {
    static final String MODULE = "wasmesh";
    private static final String NAMESPACE = "";
    private static final int MISSING = -1;
    private static final int OVER_QUOTA = -2;
    private static final int BAD_POINTER = -3;
    private static final int MAX_KEY = 1024;
    private static final int MAX_VALUE = 1 << 20;

    private static final int UNAVAILABLE = -4;

    private KvCalls() {}

    /** What a {@code wasmesh} import answers when the service has no store. */
    static long unavailable(FunctionType type) {
        return !type.returns().isEmpty() && type.returns().get(0).equals(ValType.I64)
                ? Long.MIN_VALUE
                : UNAVAILABLE;
    }

    static List<HostFunction> functions(SharedData data) {
        ValType i32 = ValType.I32;
        ValType i64 = ValType.I64;
        return List.of(
                new HostFunction(
                        MODULE,
                        "kv_get",
                        FunctionType.of(new ValType[] {i32, i32, i32, i32}, new ValType[] {i32}),
                        (instance, a) -> new long[] {get(data, instance, a)}),
                new HostFunction(
                        MODULE,
                        "kv_set",
                        FunctionType.of(new ValType[] {i32, i32, i32, i32}, new ValType[] {i32}),
                        (instance, a) -> new long[] {set(data, instance, a)}),
                new HostFunction(
                        MODULE,
                        "kv_add",
                        FunctionType.of(new ValType[] {i32, i32, i64}, new ValType[] {i64}),
                        (instance, a) -> new long[] {add(data, instance, a)}));
    }

    private static int get(SharedData data, Instance instance, long[] a) {
        String key = string(instance, a[0], a[1], MAX_KEY);
        if (key == null || !fits(instance, a[2], a[3])) {
            return BAD_POINTER;
        }
        SharedData.Entry e = data.get(NAMESPACE, key);
        if (e == null) {
            return MISSING;
        }
        int n = (int) Math.min(e.value().length, a[3] & 0xFFFF_FFFFL);
        instance.memory().write((int) a[2], java.util.Arrays.copyOf(e.value(), n));
        return e.value().length;
    }

    private static int set(SharedData data, Instance instance, long[] a) {
        String key = string(instance, a[0], a[1], MAX_KEY);
        if (key == null || !fits(instance, a[2], a[3]) || (a[3] & 0xFFFF_FFFFL) > MAX_VALUE) {
            return BAD_POINTER;
        }
        byte[] value = instance.memory().readBytes((int) a[2], (int) a[3]);
        return data.set(NAMESPACE, key, value, 0) == SharedData.SetResult.OK ? 0 : OVER_QUOTA;
    }

    private static long add(SharedData data, Instance instance, long[] a) {
        String key = string(instance, a[0], a[1], MAX_KEY);
        if (key == null) {
            return Long.MIN_VALUE;
        }
        while (true) { // compare-and-swap until no other request got in between
            SharedData.Entry e = data.get(NAMESPACE, key);
            long current;
            try {
                current =
                        e == null
                                ? 0
                                : Long.parseLong(new String(e.value(), StandardCharsets.UTF_8));
            } catch (NumberFormatException notACounter) {
                return Long.MIN_VALUE;
            }
            long next = current + a[2];
            byte[] text = Long.toString(next).getBytes(StandardCharsets.UTF_8);
            SharedData.SetResult r = data.set(NAMESPACE, key, text, e == null ? 0 : e.cas());
            if (r == SharedData.SetResult.OK) {
                return next;
            }
            if (r == SharedData.SetResult.OVER_QUOTA) {
                return Long.MIN_VALUE;
            }
        }
    }

    private static String string(Instance instance, long ptr, long len, int max) {
        if ((len & 0xFFFF_FFFFL) > max || !fits(instance, ptr, len)) {
            return null;
        }
        return new String(
                instance.memory().readBytes((int) ptr, (int) len), StandardCharsets.UTF_8);
    }

    /** Whether [ptr, ptr + len) lies inside the guest's memory, both read as unsigned. */
    private static boolean fits(Instance instance, long ptr, long len) {
        Memory memory = instance.memory();
        long size = (long) memory.pages() * 65536L;
        long p = ptr & 0xFFFF_FFFFL;
        long n = len & 0xFFFF_FFFFL;
        return p + n <= size;
    }
}

package io.wasmesh.wasm.proxywasm.memory;

import io.wasmesh.wasm.engine.GuestCall;
import java.nio.charset.StandardCharsets;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;

/**
 * Bounds-checked access to one instance's linear memory, and allocation inside it. Every pointer
 * and length from the guest is an unsigned 32-bit value; each access is checked against the
 * memory's current size before it touches a byte, so a hostile pointer fails here with {@link
 * GuestMemoryException} and never in the runtime.
 */
public final class GuestMemory {
    private static final long PAGE = 65536;

    private final Instance instance;
    private final ExportFunction allocator;
    private final LongSupplierDeadline deadline;

    /** Gives nested allocator calls the deadline of the guest call they serve. */
    @FunctionalInterface
    public interface LongSupplierDeadline {
        long deadlineNanos();
    }

    public GuestMemory(Instance instance, ExportFunction allocator, LongSupplierDeadline deadline) {
        this.instance = instance;
        this.allocator = allocator;
        this.deadline = deadline;
    }

    private Memory memory() {
        Memory m = instance.memory();
        if (m == null) {
            throw new GuestMemoryException("module has no memory");
        }
        return m;
    }

    /**
     * Throws unless {@code [ptr, ptr+len)} lies inside memory; both are read as unsigned 32-bit.
     */
    public void check(int ptr, int len) {
        long start = Integer.toUnsignedLong(ptr);
        long end = start + Integer.toUnsignedLong(len);
        if (end > memory().pages() * PAGE) {
            throw new GuestMemoryException(
                    "guest range ["
                            + start
                            + ", "
                            + end
                            + ") is outside memory of "
                            + memory().pages() * PAGE
                            + " bytes");
        }
    }

    public byte[] read(int ptr, int len) {
        check(ptr, len);
        return len == 0 ? new byte[0] : memory().readBytes(ptr, len);
    }

    public String readString(int ptr, int len) {
        return new String(read(ptr, len), StandardCharsets.UTF_8);
    }

    public void write(int ptr, byte[] bytes) {
        check(ptr, bytes.length);
        memory().write(ptr, bytes);
    }

    public void writeU32(int ptr, int value) {
        check(ptr, 4);
        memory().writeI32(ptr, value);
    }

    public void writeU64(int ptr, long value) {
        check(ptr, 8);
        memory().writeLong(ptr, value);
    }

    /**
     * Copies {@code bytes} into memory the guest allocates, and writes the pointer and length to
     * the two return slots. Empty data is returned as (0, 0) without calling the allocator, as
     * Envoy does: some guest allocators fail on zero-sized requests.
     */
    public void returnBytes(byte[] bytes, int retPtrPtr, int retLenPtr) {
        check(retPtrPtr, 4);
        check(retLenPtr, 4);
        if (bytes.length == 0) {
            writeU32(retPtrPtr, 0);
            writeU32(retLenPtr, 0);
            return;
        }
        int ptr = allocate(bytes.length);
        write(ptr, bytes);
        writeU32(retPtrPtr, ptr);
        writeU32(retLenPtr, bytes.length);
    }

    /**
     * Asks the guest's allocator for {@code size} bytes and checks that what it returned is usable.
     */
    public int allocate(int size) {
        if (allocator == null) {
            throw new GuestMemoryException(
                    "module exports no allocator (proxy_on_memory_allocate or malloc)");
        }
        long[] r = GuestCall.invoke(instance, allocator, deadline.deadlineNanos(), size);
        int ptr = (int) r[0];
        if (ptr == 0) {
            throw new GuestMemoryException("guest allocator returned 0 for " + size + " bytes");
        }
        check(ptr, size); // a garbage pointer from a broken allocator stops here
        return ptr;
    }

    /** Current memory size in bytes. */
    public long sizeBytes() {
        return memory().pages() * PAGE;
    }
}

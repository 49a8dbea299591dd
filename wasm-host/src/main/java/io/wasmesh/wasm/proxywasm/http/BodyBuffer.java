package io.wasmesh.wasm.proxywasm.http;

import java.util.Arrays;

/**
 * The body bytes a filter sees for one direction of a stream: the chunks buffered while the filter
 * pauses, plus the current chunk. Growable; not thread-safe (owned by one stream).
 */
public final class BodyBuffer {
    private byte[] data = new byte[0];
    private int length;

    public int length() {
        return length;
    }

    public void append(byte[] chunk) {
        ensure(length + chunk.length);
        System.arraycopy(chunk, 0, data, length, chunk.length);
        length += chunk.length;
    }

    /**
     * Up to {@code max} bytes from {@code start}; empty when {@code start} is at or past the end.
     */
    public byte[] slice(int start, int max) {
        if (start >= length) {
            return new byte[0];
        }
        int n = (int) Math.min((long) max, length - start);
        return Arrays.copyOfRange(data, start, start + n);
    }

    /**
     * Envoy's three edits of a body: prepend ({@code start == 0, size == 0}), replace everything
     * ({@code start == 0, size >= length}), append ({@code start >= length}). Anything else is
     * refused, as in Envoy.
     *
     * @return false when the edit is not one of the three
     */
    public boolean edit(int start, int size, byte[] value) {
        if (start == 0 && size == 0) {
            byte[] joined = new byte[value.length + length];
            System.arraycopy(value, 0, joined, 0, value.length);
            System.arraycopy(data, 0, joined, value.length, length);
            data = joined;
            length = joined.length;
            return true;
        }
        if (start == 0 && size >= length) {
            data = value.clone();
            length = value.length;
            return true;
        }
        if (start >= length) {
            append(value);
            return true;
        }
        return false;
    }

    /** Takes all bytes out, leaving the buffer empty. */
    public byte[] drain() {
        byte[] out = Arrays.copyOf(data, length);
        data = new byte[0];
        length = 0;
        return out;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    private void ensure(int capacity) {
        if (capacity > data.length) {
            data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
        }
    }
}

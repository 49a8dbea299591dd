package io.wasmesh.wasm.wagi;

import java.io.ByteArrayOutputStream;

/**
 * A guest's stdout, kept up to a limit. Bytes past it are dropped (the guest keeps running and is
 * not told, as with a closed pipe it ignores) and the overflow is remembered.
 */
final class BoundedOutput extends ByteArrayOutputStream {
    private final int limit;
    private boolean overflowed;

    BoundedOutput(int limit) {
        super(Math.min(limit, 4096));
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (count >= limit) {
            overflowed = true;
            return;
        }
        super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = limit - count;
        if (len > room) {
            overflowed = true;
            len = Math.max(0, room);
        }
        super.write(b, off, len);
    }

    boolean overflowed() {
        return overflowed;
    }
}

package io.wasmesh.wasm.proxywasm.hostcalls;

import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A guest's stdout or stderr: each line becomes one log entry of the filter at a fixed level. */
final class LogLineStream extends OutputStream {
    private final ProxyWasmVm vm;
    private final LogLevel level;
    private final byte[] line = new byte[LogCalls.MAX_MESSAGE_BYTES];
    private int length;

    LogLineStream(ProxyWasmVm vm, LogLevel level) {
        this.vm = vm;
        this.level = level;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            flushLine();
            return;
        }
        if (length == line.length) {
            flushLine(); // a line longer than a log message is cut into several
        }
        line[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    @Override
    public void flush() {
        if (length > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        vm.log(level, new String(line, 0, length, StandardCharsets.UTF_8));
        length = 0;
    }
}

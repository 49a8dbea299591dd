package io.wasmesh.wasm.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The OS scheduling niceness of the calling thread, where Linux shows it. Java thread priorities
 * reach the OS only when the JVM is told to map them ({@code -XX:ThreadPriorityPolicy=1}); reading
 * the result back is how the scheduler knows whether its background tier really runs below the
 * others.
 */
final class OsThreadNice {
    private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");

    private OsThreadNice() {}

    /** The calling thread's nice value, or empty where the OS does not show it. */
    static OptionalInt ofCurrentThread() {
        try {
            String stat = Files.readString(THREAD_STAT);
            // "pid (comm) state ..." where comm may hold spaces: fields count from after ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(fields[16])); // field 19 of proc(5)
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}

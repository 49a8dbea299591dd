package io.wasmesh.wasm.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * How Linux schedules a thread, and the one change the scheduler makes here: putting a background
 * worker in the {@code SCHED_IDLE} class (a worker's nice it lowers through {@link
 * Thread#setPriority}). Java has no API for the class or for reading either; Linux shows both in
 * the thread's {@code stat} under {@code /proc}, and util-linux's {@code chrt} sets the class of a
 * thread of the same user without privileges. Elsewhere these report "unknown" and change nothing.
 */
final class OsThreadScheduling {
    /** {@code SCHED_IDLE} in Linux's numbering ({@code policy} in proc(5)). */
    static final int SCHED_IDLE = 5;

    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private OsThreadScheduling() {}

    /** The calling thread's nice value (field 19 of proc(5)'s stat). */
    static OptionalInt nice() {
        return statField(THREAD_SELF.resolve("stat"), 19);
    }

    /** The nice value of this process's thread {@code tid} (field 19 of proc(5)'s stat). */
    static OptionalInt nice(long tid) {
        return statField(Path.of("/proc/self/task", Long.toString(tid), "stat"), 19);
    }

    /** The calling thread's kernel id ({@code /proc/thread-self} links to "pid/task/tid"). */
    static OptionalLong threadId() {
        try {
            return OptionalLong.of(
                    Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The calling thread's scheduling policy (field 41 of proc(5)'s stat). */
    static OptionalInt policy() {
        return statField(THREAD_SELF.resolve("stat"), 41);
    }

    /**
     * Moves the calling thread to {@code SCHED_IDLE}: it then runs only when no other thread of the
     * machine wants its core, and any of them preempts it on waking. Blocks for the {@code chrt}
     * run (milliseconds; once per background worker). Returns whether the thread is there now.
     */
    static boolean becomeIdleClass() {
        OptionalLong tid = threadId();
        if (tid.isEmpty()) {
            return false;
        }
        try {
            Process chrt =
                    new ProcessBuilder(
                                    "chrt", "--idle", "--pid", "0", Long.toString(tid.getAsLong()))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!chrt.waitFor(10, TimeUnit.SECONDS)) {
                chrt.destroyForcibly();
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false; // no /proc, no chrt: the thread keeps its class
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return policy().orElse(-1) == SCHED_IDLE;
    }

    /** Field {@code n} (1-based, as proc(5) counts) of a thread's stat line. */
    private static OptionalInt statField(Path statFile, int n) {
        try {
            String stat = Files.readString(statFile);
            // "pid (comm) state ...": comm may hold spaces, so count from after its ')'; state is 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(fields[n - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}

package io.wasmesh.launcher.cli;

import java.util.List;

/**
 * Ends a command with an exit code: its message as {@code error: ...} on stderr, then each of its
 * lines. Exit code 2 is a usage or connection problem; 1 is the API's refusal ({@link
 * ApiClient.Refused} carries those).
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final List<String> lines;

    CliException(int exitCode, String message, List<String> lines) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    /** A usage or connection problem: exit code 2. */
    static CliException usage(String message, String... lines) {
        return new CliException(2, message, List.of(lines));
    }

    int exitCode() {
        return exitCode;
    }

    List<String> lines() {
        return lines;
    }
}

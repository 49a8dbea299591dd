package io.wasmesh.config.internal.read;

import io.wasmesh.config.internal.Position;

/** Text that is not YAML (or JSON): nothing else can be said about it. */
public final class SyntaxError extends Exception {

    private final transient Position position;

    SyntaxError(String message, Position position) {
        super(message);
        this.position = position;
    }

    public Position position() {
        return position;
    }
}

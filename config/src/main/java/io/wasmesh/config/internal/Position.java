package io.wasmesh.config.internal;

/**
 * A place in the text, 1-based.
 *
 * @param line the line
 * @param column the column
 */
public record Position(int line, int column) {

    public static final Position START = new Position(1, 1);
}

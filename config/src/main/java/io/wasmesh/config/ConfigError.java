package io.wasmesh.config;

/**
 * One problem found in a configuration document.
 *
 * @param source the document's name, as given to the loader (the file's path for {@link
 *     ConfigLoader#load})
 * @param line 1-based line of the offending value (of the enclosing object for a missing field); 0
 *     when the problem has no place in the text (the file cannot be read)
 * @param column 1-based column, like {@code line}
 * @param path where in the model, such as {@code tenants[0].routes[2].match.prefix}; empty for the
 *     whole document
 * @param message what is wrong, such as {@code must start with '/'}
 */
public record ConfigError(String source, int line, int column, String path, String message) {

    /** {@code routes.yaml:12:9: tenants[0].routes[2].match.prefix: must start with '/'}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(source);
        if (line > 0) {
            s.append(':').append(line).append(':').append(column);
        }
        s.append(": ");
        if (!path.isEmpty()) {
            s.append(path).append(": ");
        }
        return s.append(message).toString();
    }
}

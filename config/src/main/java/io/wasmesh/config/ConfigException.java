package io.wasmesh.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration document that cannot be loaded, with every problem found in it. {@link
 * #getMessage()} has one line per problem: {@code file:line:col: path: message}.
 */
public final class ConfigException extends Exception {

    private final List<ConfigError> errors;

    /**
     * @param errors every problem found, in document order; at least one
     */
    public ConfigException(List<ConfigError> errors) {
        super(lines(errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, in document order. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String lines(List<ConfigError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors: empty (expected: at least one)");
        }
        return errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }
}

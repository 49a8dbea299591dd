package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The errors of a load that must fail, as {@code file:line:col: path: message}. */
final class ConfigLoaderErrors {

    private ConfigLoaderErrors() {}

    static List<String> of(ThrowingCallable load) {
        return assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(load)
                .actual()
                .errors()
                .stream()
                .map(ConfigError::toString)
                .toList();
    }
}

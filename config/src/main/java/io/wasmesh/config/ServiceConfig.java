package io.wasmesh.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A Wasm microservice: a module that answers requests itself.
 *
 * @param name the service's name, unique in the tenant
 * @param module the module
 * @param configuration given to the module (an object or array in a file is stored as compact
 *     JSON); default {@code ""}
 * @param timeout the most time the service may take to answer (its CPU deadline); default 1 s
 * @param environment what a WASI service sees in its environment besides the CGI variables (nothing
 *     of the host's); default none
 */
public record ServiceConfig(
        String name,
        ModuleRef module,
        String configuration,
        Duration timeout,
        Map<String, String> environment,
        String rootId) {

    public ServiceConfig {
        configuration = Objects.requireNonNullElse(configuration, "");
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(1));
        environment = Immutables.map(environment);
        rootId = Objects.requireNonNullElse(rootId, "");
    }
}

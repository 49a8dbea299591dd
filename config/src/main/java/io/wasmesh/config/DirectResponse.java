package io.wasmesh.config;

import java.util.Map;
import java.util.Objects;

/**
 * A route action: answer with a fixed response.
 *
 * @param status the status, 100..599
 * @param body the body; default empty
 * @param headers response headers, by name; default none
 */
public record DirectResponse(int status, String body, Map<String, String> headers)
        implements RouteAction {

    public DirectResponse {
        body = Objects.requireNonNullElse(body, "");
        headers = Immutables.map(headers);
    }
}

package io.wasmesh.controlplane.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON in and out of the API: strict on input (an unknown field is an error), tidy on output. */
final class ApiJson {
    static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .defaultPropertyInclusion(
                            JsonInclude.Value.construct(
                                    JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                    .build();

    private ApiJson() {}

    static Buffer write(Object value) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request body as {@code type}; a clear 400 or 422 when it is not. */
    static <T> T read(RoutingContext ctx, Class<T> type) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        try {
            return MAPPER.readValue(body.getBytes(), type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.invalid(
                    "unknown field '" + e.getPropertyName() + "'",
                    java.util.List.of(
                            e.getPropertyName()
                                    + ": unknown field; known: "
                                    + e.getKnownPropertyIds()));
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the request came without a body (or an empty one). */
    static boolean noBody(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        return body == null || body.length() == 0;
    }

    static void respond(RoutingContext ctx, int status, Object value) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(write(value));
    }
}

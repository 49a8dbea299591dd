package io.wasmesh.controlplane.api;

import java.util.List;
import java.util.Map;

/**
 * An error answer, written as RFC 9457 {@code application/problem+json} by {@link ProblemWriter}.
 *
 * @param type a short slug, made absolute as {@code https://wasmesh.io/problems/<type>}
 * @param errors every individual error (config validation lists them all)
 * @param headers extra response headers ({@code Retry-After}, {@code WWW-Authenticate})
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String type;
    private final String title;
    private final List<String> errors;
    private final Map<String, String> headers;

    public ApiProblem(
            int status,
            String type,
            String title,
            String detail,
            List<String> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public ApiProblem(int status, String type, String title, String detail) {
        this(status, type, title, detail, List.of(), Map.of());
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "bad-request", "Bad request", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail);
    }

    public static ApiProblem conflict(String type, String detail, List<String> errors) {
        return new ApiProblem(409, type, "Conflict", detail, errors, Map.of());
    }

    public static ApiProblem invalid(String detail, List<String> errors) {
        return new ApiProblem(422, "invalid", "Unprocessable content", detail, errors, Map.of());
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "too-large", "Content too large", detail);
    }

    public static ApiProblem stale(long active) {
        return new ApiProblem(
                412,
                "stale-revision",
                "Precondition failed",
                "If-Match does not name the active revision, which is " + active,
                List.of(),
                Map.of("ETag", ETags.of(active)));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<String> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

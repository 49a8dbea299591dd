package io.wasmesh.controlplane.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Turns every failure of a route into {@code application/problem+json}. */
final class ProblemWriter implements Handler<RoutingContext> {
    private static final System.Logger LOG = System.getLogger(ProblemWriter.class.getName());

    @Override
    public void handle(RoutingContext ctx) {
        ApiProblem p = problemOf(ctx);
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("type", "https://wasmesh.io/problems/" + p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        if (p.getMessage() != null) {
            body.put("detail", p.getMessage());
        }
        body.put("instance", ctx.request().path());
        if (!p.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            p.errors().forEach(errors::add);
        }
        var response = ctx.response().setStatusCode(p.status());
        for (Map.Entry<String, String> h : p.headers().entrySet()) {
            response.putHeader(h.getKey(), h.getValue());
        }
        response.putHeader("content-type", "application/problem+json").end(ApiJson.write(body));
    }

    private static ApiProblem problemOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiProblem) {
            return (ApiProblem) failure;
        }
        int status = ctx.statusCode();
        switch (status) {
            case 413:
                return ApiProblem.tooLarge("the request body is larger than this endpoint accepts");
            case 404:
                return ApiProblem.notFound("no such resource");
            case 405:
                return new ApiProblem(405, "method-not-allowed", "Method not allowed", null);
            case 400:
                return ApiProblem.badRequest(
                        failure == null ? "malformed request" : failure.getMessage());
            default:
                LOG.log(
                        System.Logger.Level.ERROR,
                        "request failed: " + ctx.request().path(),
                        failure);
                return new ApiProblem(
                        500, "internal", "Internal error", "the control plane failed; see its log");
        }
    }
}

package io.wasmesh.proxy.exchange;

import io.opentelemetry.context.Scope;
import io.vertx.core.http.HttpServerRequest;
import io.wasmesh.proxy.http.HeaderConversion;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.service.ServiceRequest;
import io.wasmesh.proxy.service.ServiceResponse;
import io.wasmesh.proxy.telemetry.ServiceCall;
import java.util.concurrent.CompletableFuture;

/**
 * A route that ends in a tenant's Wasm service: the service needs the whole request, so the body is
 * read first (through the chain's request phases), and its answer goes back through the response
 * phases as an answer of the proxy's own. The service runs on the tenant's lanes; its answer hops
 * back to the event loop like a filter phase's.
 */
final class WasmServiceCall {
    private final ProxyExchange exchange;

    WasmServiceCall(ProxyExchange exchange) {
        this.exchange = exchange;
    }

    void serve(boolean hasBody) {
        if (!hasBody) {
            call(new byte[0]);
        } else {
            exchange.body.readWhole(this::call);
        }
    }

    @SuppressWarnings("try") // the scope is held, not used: the service starts inside the span
    private void call(byte[] body) {
        Route route = exchange.route;
        HttpServerRequest req = exchange.req;
        String prefix = route.config().match().prefix();
        ServiceRequest request =
                new ServiceRequest(
                        exchange.requestHeaders,
                        body,
                        prefix == null ? "" : prefix,
                        req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
                        req.localAddress() == null ? 0 : req.localAddress().port(),
                        exchange.info);
        ServiceCall call = exchange.trace.service(route.service().name(), exchange.requestHeaders);
        CompletableFuture<ServiceResponse> answer;
        try (Scope traced = call.makeCurrent()) {
            answer = route.service().handle(request);
        }
        exchange.onLoop(
                answer.whenComplete(
                        (r, e) -> {
                            if (e != null) {
                                call.fail(e);
                            } else {
                                call.end(r.status(), r.headers());
                            }
                        }),
                r ->
                        exchange.writer.respondFromProxy(
                                r.status(),
                                HeaderConversion.withoutHopByHop(r.headers()),
                                r.body()));
    }
}

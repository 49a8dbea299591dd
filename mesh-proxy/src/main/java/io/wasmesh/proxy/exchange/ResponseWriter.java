package io.wasmesh.proxy.exchange;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.wasmesh.proxy.filter.ChainVerdict;
import io.wasmesh.proxy.filter.FilterChain;
import io.wasmesh.proxy.http.HeaderConversion;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * Answers the client: an upstream's response relayed through the chain's response phases (the body
 * piped straight through when no plugin reads response bodies), or an answer of the proxy's own
 * through the same phases, or a reply written without the filters. The body's framing follows what
 * the filters may have done: a length they may change is not announced.
 */
final class ResponseWriter {
    private final ProxyExchange exchange;
    private final HttpServerResponse resp;
    private final FilterChain chain;
    private final boolean throughChain;
    private boolean responding;

    ResponseWriter(ProxyExchange exchange) {
        this.exchange = exchange;
        this.resp = exchange.req.response();
        this.chain = exchange.chain;
        this.throughChain = exchange.route.filters().inspectsResponseBody();
    }

    /** True once a response is on its way to the client (a route timeout then resets). */
    boolean responding() {
        return responding;
    }

    /** Relays an upstream's answer: headers through the chain, then the body. */
    void relay(HttpClientResponse response, int status) {
        responding = true;
        response.pause();
        HeaderMap headers = HeaderConversion.fromResponse(status, response.headers());
        headers.set(
                "x-wasmesh-upstream-service-time",
                Long.toString((System.nanoTime() - exchange.startNanos) / 1_000_000));
        boolean end =
                status == 204
                        || status == 304
                        || "0".equals(response.getHeader("content-length"))
                        || exchange.requestHeaders.get(":method").equals("HEAD");
        exchange.startEncoding();
        exchange.onLoop(
                chain.onResponseHeaders(headers, end),
                v -> {
                    if (v.kind() != ChainVerdict.Kind.CONTINUE) {
                        exchange.tries.finishTry(status);
                        exchange.tries.resetRequest();
                        exchange.filtersEnded(v);
                        return;
                    }
                    writeHeaders(headers);
                    streamBody(response, status);
                });
    }

    private void writeHeaders(HeaderMap headers) {
        resp.setStatusCode(Integer.parseInt(headers.get(":status")));
        MultiMap out = resp.headers();
        HeaderConversion.copyRegular(headers, out);
        if (throughChain) {
            out.remove("content-length");
        }
        if (out.get("content-length") == null && exchange.req.version() != HttpVersion.HTTP_2) {
            resp.setChunked(true);
        }
    }

    private void streamBody(HttpClientResponse response, int status) {
        if (!throughChain) {
            response.pipeTo(resp)
                    .onComplete(
                            r -> {
                                exchange.tries.finishTry(r.succeeded() ? status : -1);
                                exchange.finish(status);
                            });
            return;
        }
        response.handler(
                chunk -> {
                    response.pause();
                    exchange.onLoop(
                            chain.onResponseBody(chunk.getBytes(), false),
                            v -> {
                                if (v.kind() == ChainVerdict.Kind.LOCAL_REPLY
                                        || v.kind() == ChainVerdict.Kind.RESET) {
                                    exchange.tries.finishTry(status);
                                    exchange.resetClient("a filter stopped the response body");
                                    return;
                                }
                                if (v.body().length > 0) {
                                    resp.write(Buffer.buffer(v.body()));
                                }
                                if (resp.writeQueueFull()) {
                                    resp.drainHandler(d -> response.resume());
                                } else {
                                    response.resume();
                                }
                            });
                });
        response.endHandler(
                e ->
                        exchange.onLoop(
                                chain.onResponseBody(new byte[0], true),
                                v -> {
                                    exchange.tries.finishTry(status);
                                    if (v.kind() != ChainVerdict.Kind.CONTINUE) {
                                        exchange.resetClient("a filter stopped the response body");
                                        return;
                                    }
                                    resp.end(Buffer.buffer(v.body()));
                                    exchange.finish(status);
                                }));
        response.exceptionHandler(
                e -> {
                    exchange.tries.finishTry(-1);
                    exchange.resetClient("upstream reset during the response");
                });
        response.resume();
    }

    /**
     * An answer of the proxy's own (a direct response, a redirect, a service's answer, a local
     * reply): through the response phase of the chain like any other, so the filters see it.
     */
    void respondFromProxy(int status, HeaderMap headers, byte[] body) {
        exchange.body.drain();
        exchange.startEncoding();
        headers.set(":status", Integer.toString(status));
        exchange.onLoop(
                chain.onResponseHeaders(headers, body.length == 0),
                v -> {
                    if (exchange.filtersEnded(v)) {
                        return;
                    }
                    responding = true;
                    int answered = statusOf(headers, status);
                    resp.setStatusCode(answered);
                    HeaderConversion.copyRegular(headers, resp.headers());
                    if (body.length == 0 || !throughChain) {
                        resp.end(Buffer.buffer(body));
                        exchange.finish(answered);
                        return;
                    }
                    exchange.onLoop(
                            chain.onResponseBody(body, true),
                            b -> {
                                if (b.kind() != ChainVerdict.Kind.CONTINUE) {
                                    exchange.resetClient("a filter stopped the response body");
                                    return;
                                }
                                resp.headers().remove("content-length");
                                resp.end(Buffer.buffer(b.body()));
                                exchange.finish(answered);
                            });
                });
    }

    /** The {@code :status} a response filter left (it may change it), else {@code fallback}. */
    private static int statusOf(HeaderMap headers, int fallback) {
        try {
            int s = Integer.parseInt(headers.get(":status"));
            return s >= 100 && s <= 999 ? s : fallback;
        } catch (NumberFormatException | NullPointerException e) {
            return fallback;
        }
    }

    /** Writes a reply to the client without the filters. */
    void sendDirect(LocalReply reply) {
        exchange.body.drain();
        resp.setStatusCode(reply.status());
        if (reply.headers() != null) {
            HeaderConversion.copyRegular(reply.headers(), resp.headers());
        }
        resp.headers().remove("content-length");
        resp.end(Buffer.buffer(reply.body()));
        exchange.finish(reply.status());
    }

    /** Response body a filter held and then let go on its own: it joins the body being sent. */
    void released(byte[] bytes) {
        if (responding) {
            resp.write(Buffer.buffer(bytes));
        }
    }
}

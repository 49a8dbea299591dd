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
 *
 * <p>Whatever response body comes out of the chain goes to one place, {@link #deliver}: what a
 * chunk's phase lets through and body a filter held and let go on its own outside a phase ({@link
 * #released}) alike. It goes out once, in the order the lane made it (response body phases come
 * back to the event loop as tasks, as released body does), after the response's headers and never
 * after its end. Whether the upstream's body is read is decided in one place, {@link BodyReads}:
 * not while a chunk is in the chain, nor while the client's write queue is full (until it drains),
 * whichever output filled it.
 */
final class ResponseWriter {
    private final ProxyExchange exchange;
    private final HttpServerResponse resp;
    private final FilterChain chain;
    private final boolean throughChain;
    private boolean responding;
    private boolean headersOut; // the status and headers are set: body may be written
    private boolean ended; // the response was ended: nothing more goes out
    private BodyReads reads; // an upstream's body through the chain: whether it is read now

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
        headersOut = true;
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
        reads = new BodyReads(response::pause, response::resume);
        response.handler(
                chunk -> {
                    reads.chainStarted();
                    // Always a hop, never the same-thread shortcut: body a filter lets go on its
                    // own reaches the event loop as a task, and a later phase's result must not
                    // overtake it (nor end the response before it is written).
                    exchange.afterLane(
                            chain.onResponseBody(chunk.getBytes(), false),
                            v -> {
                                if (v.kind() == ChainVerdict.Kind.LOCAL_REPLY
                                        || v.kind() == ChainVerdict.Kind.RESET) {
                                    reads.close();
                                    exchange.tries.finishTry(status);
                                    // paused for this chunk, the upstream's answer would hold its
                                    // pooled connection for good: let go of it, as the header
                                    // phase does
                                    exchange.tries.resetRequest();
                                    exchange.resetClient("a filter stopped the response body");
                                    return;
                                }
                                deliver(v.body());
                                reads.chainDone();
                            });
                });
        response.endHandler(
                e -> {
                    reads.close();
                    exchange.afterLane(
                            chain.onResponseBody(new byte[0], true),
                            v -> {
                                exchange.tries.finishTry(status);
                                if (v.kind() != ChainVerdict.Kind.CONTINUE) {
                                    exchange.resetClient("a filter stopped the response body");
                                    return;
                                }
                                end(v.body());
                                exchange.finish(status);
                            });
                });
        response.exceptionHandler(
                e -> {
                    exchange.tries.finishTry(-1);
                    exchange.resetClient("upstream reset during the response");
                });
        reads.start();
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
                chain.onLocalResponseHeaders(headers, body.length == 0),
                v -> {
                    if (exchange.filtersEnded(v)) {
                        return;
                    }
                    responding = true;
                    int answered = statusOf(headers, status);
                    resp.setStatusCode(answered);
                    HeaderConversion.copyRegular(headers, resp.headers());
                    if (body.length == 0 || !throughChain) {
                        headersOut = true;
                        end(body);
                        exchange.finish(answered);
                        return;
                    }
                    resp.headers().remove("content-length");
                    headersOut = true;
                    // A body phase: back as a task, after any body the lane let go before it.
                    exchange.afterLane(
                            chain.onResponseBody(body, true),
                            b -> {
                                if (b.kind() != ChainVerdict.Kind.CONTINUE) {
                                    exchange.resetClient("a filter stopped the response body");
                                    return;
                                }
                                end(b.body());
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
        ended = true;
        resp.end(Buffer.buffer(reply.body()));
        exchange.finish(reply.status());
    }

    /**
     * Response body a filter held and then let go on its own, outside a phase (after an {@code
     * http_call} answer or on a tick, say): it joins the body where it is at that moment, like a
     * phase's output.
     */
    void released(byte[] bytes) {
        deliver(bytes);
    }

    /**
     * Body that came out of the chain goes to the client, counted against its write queue. None can
     * come before the headers are out: a filter holds response body only in a body phase, and the
     * first one starts after the headers' phase was handled and the headers set ({@link #relay},
     * {@link #respondFromProxy}). None is written after the end: body released after the end phase
     * let everything through cannot exist (that phase drains what each filter held), and after a
     * reset or a reply without the filters the answer is gone.
     */
    private void deliver(byte[] bytes) {
        if (!headersOut || ended || exchange.isDone() || bytes.length == 0) {
            return;
        }
        resp.write(Buffer.buffer(bytes));
        if (reads != null) {
            reads.wrote(resp); // upstream body is not read while the client's queue is full
        }
    }

    /** Ends the response with {@code last}; released body after this is dropped. */
    private void end(byte[] last) {
        ended = true;
        resp.end(Buffer.buffer(last));
    }
}

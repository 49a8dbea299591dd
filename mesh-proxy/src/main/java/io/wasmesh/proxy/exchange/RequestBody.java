package io.wasmesh.proxy.exchange;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.wasmesh.wasm.proxywasm.LocalReply;

/**
 * The client's request body, which can be read only once: so it is either streamed to the one
 * upstream try as it arrives, buffered (up to the tenant's limit) so every try of a retrying route
 * can send it again, or read whole for a Wasm service. Chunks go through the chain's request body
 * phase only when a plugin exports a body callback; the request is paused while the chain has a
 * chunk, so the filters see the chunks one at a time and in order.
 *
 * <p>The retry buffer is Envoy's: a body that outgrows it is not refused but streamed, what was
 * buffered first, and the request is no longer retried. Only a body that must be whole gets 413
 * beyond the limit: a Wasm service's here, a filter's that holds the body in the host (which
 * answers 413 itself).
 */
final class RequestBody {
    /** How the body reaches the upstream. */
    private enum Mode {
        /** No body: the upstream request ends with its headers. */
        NONE,
        /** Piped to the one try as it arrives: the request cannot be retried. */
        STREAM,
        /** Read whole first, so each try sends it again. */
        BUFFERED
    }

    private final ProxyExchange exchange;
    private final HttpServerRequest req;
    private final boolean throughChain;
    private Mode mode = Mode.NONE;
    // BUFFERED: the body read so far; STREAM: what was buffered before the body outgrew the
    // limit, sent ahead of the rest (null once sent).
    private Buffer buffered;
    private Runnable whenBuffered;
    private boolean parked; // outgrew the buffer: paused until the try's upstream request is open

    RequestBody(ProxyExchange exchange) {
        this.exchange = exchange;
        this.req = exchange.req;
        this.throughChain = exchange.route.filters().inspectsRequestBody();
    }

    /** Whether the request's headers announce a body (it is not read yet). */
    boolean expected() {
        String length = req.getHeader("content-length");
        if (length != null) {
            return !length.trim().equals("0");
        }
        if (req.version() == HttpVersion.HTTP_2) {
            return !req.isEnded();
        }
        String te = req.getHeader("transfer-encoding");
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    /** The request has no body. */
    void none() {
        mode = Mode.NONE;
    }

    /** The body will stream to the one try; see {@link #sendTo}. */
    void stream() {
        mode = Mode.STREAM;
    }

    /** Whether the upstream request may be sent again: a streamed body is gone once sent. */
    boolean replayable() {
        return mode != Mode.STREAM;
    }

    /** Whether the body sent may differ in length from the one announced (filters, buffering). */
    boolean mayChangeLength() {
        return mode == Mode.BUFFERED || throughChain;
    }

    /**
     * A body announced larger than the retry buffer streams from the start, without retries (as in
     * Envoy); a chunked one finds out as it is read ({@link #bufferForRetries}).
     */
    boolean declaredOverLimit() {
        String length = req.getHeader("content-length");
        try {
            return length != null && Long.parseLong(length.trim()) > limit();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Buffers the body so each try can send it, then runs {@code then} (which starts the first
     * try). A body that outgrows the tenant's limit runs {@code then} at once, streaming: what was
     * buffered goes first, the rest follows as it arrives, and the request is no longer retried.
     */
    void bufferForRetries(Runnable then) {
        mode = Mode.BUFFERED;
        buffered = Buffer.buffer();
        whenBuffered = then;
        Handler<byte[]> keep = this::keepForRetries;
        req.handler(
                chunk -> {
                    if (!exchange.isDone()) {
                        throughChain(chunk, false, keep);
                    }
                });
        req.endHandler(v -> throughChain(Buffer.buffer(), true, this::bufferedToEnd));
        req.resume();
    }

    private void keepForRetries(byte[] bytes) {
        buffered.appendBytes(bytes);
        if (buffered.length() > limit()) {
            // Envoy's retry buffer overflow: give up retrying and stream instead.
            parked = true;
            req.pause();
            mode = Mode.STREAM;
            whenBuffered.run();
        }
    }

    private void bufferedToEnd(byte[] bytes) {
        buffered.appendBytes(bytes);
        whenBuffered.run();
    }

    /**
     * Reads the whole request body, through the chain when a plugin reads bodies, up to the
     * tenant's limit (413 beyond), then hands it to {@code then}.
     */
    void readWhole(Handler<byte[]> then) {
        long limit = limit();
        Buffer body = Buffer.buffer();
        req.handler(
                chunk -> {
                    if (exchange.isDone()) {
                        return;
                    }
                    if (body.length() + chunk.length() > limit) {
                        req.handler(null);
                        exchange.sendLocal(
                                LocalReply.of(
                                        413,
                                        "request_payload_too_large",
                                        "request body too large\n"));
                        return;
                    }
                    throughChain(chunk, false, out -> body.appendBytes(out));
                });
        req.endHandler(
                v ->
                        throughChain(
                                Buffer.buffer(),
                                true,
                                out -> {
                                    body.appendBytes(out);
                                    then.handle(body.getBytes());
                                }));
        req.resume();
    }

    /** Sends the body on {@code out}, one try's upstream request, and ends it. */
    void sendTo(HttpClientRequest out) {
        switch (mode) {
            case NONE:
                out.end();
                break;
            case BUFFERED:
                out.end(buffered);
                break;
            default:
                streamTo(out);
        }
    }

    private void streamTo(HttpClientRequest out) {
        if (out.headers().get("content-length") == null) {
            out.setChunked(true); // a body of unknown length needs chunks to an HTTP/1.1 upstream
        }
        if (buffered != null) {
            Buffer first = buffered;
            buffered = null;
            out.write(first);
        }
        parked = false;
        if (!throughChain) {
            req.pipeTo(out);
            return;
        }
        req.handler(
                chunk ->
                        throughChain(
                                chunk,
                                false,
                                bytes -> {
                                    if (bytes.length > 0) {
                                        out.write(Buffer.buffer(bytes));
                                    }
                                    if (out.writeQueueFull()) {
                                        req.pause();
                                        out.drainHandler(v -> req.resume());
                                    }
                                }));
        req.endHandler(
                v -> throughChain(Buffer.buffer(), true, bytes -> out.end(Buffer.buffer(bytes))));
        req.resume();
    }

    /**
     * Passes a chunk through the chain (when a filter reads bodies) and hands on what comes out;
     * the request is paused meanwhile.
     */
    private void throughChain(Buffer chunk, boolean end, Handler<byte[]> out) {
        if (!throughChain) {
            out.handle(chunk.getBytes());
            return;
        }
        req.pause();
        exchange.onLoop(
                exchange.chain.onRequestBody(chunk.getBytes(), end),
                v -> {
                    if (exchange.filtersEnded(v)) {
                        return;
                    }
                    out.handle(v.body());
                    if (!end && !parked) {
                        req.resume();
                    }
                });
    }

    /** Body a filter held and then let go on its own: it joins a streaming body. */
    void released(HttpClientRequest out, byte[] bytes) {
        if (out != null && mode == Mode.STREAM) {
            out.write(Buffer.buffer(bytes));
        }
    }

    /** Lets an unread request body flow (and be dropped) so the connection stays usable. */
    void drain() {
        if (!req.isEnded()) {
            req.handler(null);
            req.endHandler(null);
            req.resume();
        }
    }

    private long limit() {
        return exchange.tenant.config().limits().maxRequestBodyBytes();
    }
}

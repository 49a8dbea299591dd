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
 * <p>Whatever comes out of the chain goes to one place, {@link #deliver}, which sends it where the
 * body is going at that moment: the retry buffer, the service's buffer, the open upstream request,
 * or a queue until the try's upstream request opens. That holds for what a chunk's phase lets
 * through, for what a filter lets go at the end of the body, and for body a filter held and let go
 * on its own outside a phase ({@link #released}): no byte is dropped and all keep their order
 * (phase results and released body both reach the event loop as tasks, in the order the lane made
 * them). Whether the client is read is decided in one place, {@link BodyReads}: not while a chunk
 * is in the chain, nor while the upstream's write queue is full (until it drains), nor while the
 * upstream request is not open.
 *
 * <p>The retry buffer is Envoy's: a body that outgrows it is not refused but streamed, what was
 * buffered first, and the request is no longer retried. Only a body that must be whole gets 413
 * beyond the limit: a Wasm service's here (counting everything that would reach the service,
 * including what a filter lets go at the end), a filter's that holds the body in the host (which
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
        BUFFERED,
        /** Read whole for a Wasm service, up to the tenant's limit. */
        WHOLE
    }

    private final ProxyExchange exchange;
    private final HttpServerRequest req;
    private final boolean throughChain;
    private final BodyReads reads;
    private Mode mode = Mode.NONE;
    // BUFFERED and WHOLE: the body read so far.
    private Buffer buffered;
    // STREAM: what waits for the try's upstream request to open (what was buffered before the
    // body outgrew the limit, and anything that came out of the chain since); null once open.
    private Buffer pending;
    private HttpClientRequest out; // STREAM: the try's upstream request, once open
    private Runnable whenBuffered;
    private Handler<byte[]> whenWhole;
    private boolean reading; // read() was called: the client's chunks are handled
    private boolean ended; // the end of the body came out of the chain
    private boolean dropped; // the exchange answers without the body: the rest is drained

    RequestBody(ProxyExchange exchange) {
        this.exchange = exchange;
        this.req = exchange.req;
        this.throughChain = exchange.route.filters().inspectsRequestBody();
        this.reads = new BodyReads(req::pause, req::resume);
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
     * Envoy); a chunked one finds out as it is read ({@link #deliver}).
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
        read();
    }

    /**
     * Reads the whole request body, through the chain when a plugin reads bodies, up to the
     * tenant's limit (413 beyond), then hands it to {@code then}.
     */
    void readWhole(Handler<byte[]> then) {
        mode = Mode.WHOLE;
        buffered = Buffer.buffer();
        whenWhole = then;
        read();
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

    private void streamTo(HttpClientRequest upstream) {
        out = upstream;
        if (out.headers().get("content-length") == null) {
            out.setChunked(true); // a body of unknown length needs chunks to an HTTP/1.1 upstream
        }
        if (pending != null) {
            Buffer first = pending;
            pending = null;
            if (first.length() > 0) {
                out.write(first);
            }
        }
        if (ended) {
            reads.close();
            out.end();
            return;
        }
        if (!throughChain) {
            reads.close(); // the pipe pauses and resumes the request from now on
            req.pipeTo(out);
            return;
        }
        if (!reading) {
            read();
        }
        reads.wrote(out); // what was pending may have filled its queue
        reads.sinkOpen();
    }

    /** Reads the body, chunk by chunk, through the chain when a plugin reads bodies. */
    private void read() {
        reading = true;
        req.handler(
                chunk -> {
                    if (!exchange.isDone() && !dropped) {
                        throughChain(chunk, false);
                    }
                });
        req.endHandler(
                v -> {
                    if (!exchange.isDone() && !dropped) {
                        throughChain(Buffer.buffer(), true);
                    }
                });
        reads.start();
    }

    /**
     * Passes a chunk through the chain (when a filter reads bodies) and delivers what comes out;
     * the client is not read meanwhile.
     */
    private void throughChain(Buffer chunk, boolean end) {
        if (!throughChain) {
            deliverOrEnd(chunk.getBytes(), end);
            return;
        }
        reads.chainStarted();
        // Always a hop, never the same-thread shortcut: body a filter releases on its own reaches
        // the event loop as a task too, and must not be overtaken by a later phase's result.
        exchange.afterLane(
                exchange.chain.onRequestBody(chunk.getBytes(), end),
                v -> {
                    if (exchange.filtersEnded(v)) {
                        return;
                    }
                    deliverOrEnd(v.body(), end);
                    reads.chainDone();
                });
    }

    private void deliverOrEnd(byte[] bytes, boolean end) {
        deliver(bytes);
        if (end) {
            end();
        }
    }

    /**
     * Body that came out of the chain (or straight from the client when no filter reads bodies)
     * goes where the body is going now.
     */
    private void deliver(byte[] bytes) {
        if (dropped || exchange.isDone()) {
            return;
        }
        switch (mode) {
            case BUFFERED:
                buffered.appendBytes(bytes);
                if (buffered.length() > limit()) {
                    // Envoy's retry buffer overflow: give up retrying and stream instead, what
                    // was buffered first, once the try's upstream request is open.
                    mode = Mode.STREAM;
                    pending = buffered;
                    buffered = null;
                    reads.awaitSink();
                    whenBuffered.run();
                }
                break;
            case WHOLE:
                if ((long) buffered.length() + bytes.length > limit()) {
                    // Everything that would reach the service counts, what a filter let go at
                    // the end of the body or on its own as much as each chunk.
                    exchange.sendLocal(
                            LocalReply.of(
                                    413, "request_payload_too_large", "request body too large\n"));
                    return;
                }
                buffered.appendBytes(bytes);
                break;
            case STREAM:
                if (out == null) {
                    if (pending == null) {
                        pending = Buffer.buffer();
                    }
                    pending.appendBytes(bytes);
                } else if (bytes.length > 0) {
                    out.write(Buffer.buffer(bytes));
                    reads.wrote(out);
                }
                break;
            default:
                break; // no body was expected: there is nowhere to send one
        }
    }

    /** The end of the body came out of the chain. */
    private void end() {
        if (dropped || exchange.isDone()) {
            return;
        }
        ended = true;
        reads.close();
        switch (mode) {
            case BUFFERED:
                whenBuffered.run();
                break;
            case WHOLE:
                whenWhole.handle(buffered.getBytes());
                break;
            case STREAM:
                if (out != null) {
                    out.end(); // else the upstream request ends as it opens (streamTo)
                }
                break;
            default:
                break;
        }
    }

    /**
     * Body a filter held and then let go on its own, outside a phase (after an {@code http_call}
     * answer or a tick, say): it goes where the body is going now, like a phase's output.
     */
    void released(byte[] bytes) {
        if (ended) {
            return; // nothing can be held past the end: the end phase waits for the filter
        }
        deliver(bytes);
    }

    /** Lets an unread request body flow (and be dropped) so the connection stays usable. */
    void drain() {
        dropped = true;
        reads.close();
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

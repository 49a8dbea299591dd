package io.wasmesh.proxy.exchange;

import io.vertx.core.streams.WriteStream;

/**
 * Whether a body going through the filter chain may be read from its source now: the client's
 * request body on its way to the upstream, or the upstream's response body on its way to the
 * client. The one place that pauses and resumes the source, so that no one reason to stop reading
 * is undone by another's resume. Reading stops while
 *
 * <ul>
 *   <li>a chunk is in the filter chain (the filters see the chunks one at a time and in order),
 *   <li>the sink's write queue is full, until its drain handler says it emptied (backpressure: a
 *       fast source and a slow sink must not make the proxy buffer without bound; body a filter
 *       lets go on its own fills the queue as much as a phase's output),
 *   <li>the sink is not open yet (a request body that outgrew the retry buffer waits for the try's
 *       upstream request).
 * </ul>
 *
 * <p>The source is resumed only when none of them holds. Event loop only.
 */
final class BodyReads {
    private final Runnable pause;
    private final Runnable resume;
    private boolean started;
    private boolean inChain;
    private boolean sinkFull;
    private boolean awaitingSink;
    private boolean closed;
    private boolean reading; // sources start paused (ProxyExchange.start, ResponseWriter.relay)

    BodyReads(Runnable pause, Runnable resume) {
        this.pause = pause;
        this.resume = resume;
    }

    /** The body is wanted: read it unless something holds it back. */
    void start() {
        started = true;
        update();
    }

    /** A chunk went into the filter chain. */
    void chainStarted() {
        inChain = true;
        update();
    }

    /** The chain's phase for the chunk is over and its output was handed on. */
    void chainDone() {
        inChain = false;
        update();
    }

    /** After a write to {@code sink}: if that filled its queue, stop reading until it drains. */
    void wrote(WriteStream<?> sink) {
        if (!sinkFull && sink.writeQueueFull()) {
            sinkFilled();
            sink.drainHandler(v -> sinkDrained());
        }
    }

    /** The sink's write queue is full. */
    void sinkFilled() {
        sinkFull = true;
        update();
    }

    /** The sink's write queue drained. */
    void sinkDrained() {
        sinkFull = false;
        update();
    }

    /** The body must wait for its sink to open. */
    void awaitSink() {
        awaitingSink = true;
        update();
    }

    /** The sink is open. */
    void sinkOpen() {
        awaitingSink = false;
        update();
    }

    /**
     * No more decisions: the body ended, or the exchange let the rest of it flow to be dropped (a
     * source must not be resumed or paused again after that).
     */
    void close() {
        closed = true;
    }

    /** Whether the source is being read (for tests). */
    boolean reading() {
        return reading;
    }

    private void update() {
        if (closed) {
            return;
        }
        boolean read = started && !inChain && !sinkFull && !awaitingSink;
        if (read == reading) {
            return;
        }
        reading = read;
        if (read) {
            resume.run();
        } else {
            pause.run();
        }
    }
}

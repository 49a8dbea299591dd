package io.wasmesh.proxy.exchange;

/**
 * Whether the client's request body may be read now: the one place that pauses and resumes it, so
 * that no one reason to stop reading is undone by another's resume. Reading stops while
 *
 * <ul>
 *   <li>a chunk is in the filter chain (the filters see the chunks one at a time and in order),
 *   <li>the upstream request's write queue is full, until its drain handler says it emptied
 *       (backpressure: a fast client and a slow upstream must not make the proxy buffer without
 *       bound),
 *   <li>the try's upstream request is not open yet (a body that outgrew the retry buffer waits for
 *       it).
 * </ul>
 *
 * <p>The client is resumed only when none of them holds. Event loop only.
 */
final class ClientReads {
    private final Runnable pause;
    private final Runnable resume;
    private boolean started;
    private boolean inChain;
    private boolean upstreamFull;
    private boolean awaitingUpstream;
    private boolean closed;
    private boolean reading; // the request starts paused (ProxyExchange.start)

    ClientReads(Runnable pause, Runnable resume) {
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

    /** Whether the upstream request's write queue was found full and has not drained since. */
    boolean upstreamFull() {
        return upstreamFull;
    }

    /** The upstream request's write queue is full. */
    void upstreamFilled() {
        upstreamFull = true;
        update();
    }

    /** The upstream request's write queue drained. */
    void upstreamDrained() {
        upstreamFull = false;
        update();
    }

    /** The body must wait for the try's upstream request to open. */
    void awaitUpstream() {
        awaitingUpstream = true;
        update();
    }

    /** The try's upstream request is open. */
    void upstreamOpen() {
        awaitingUpstream = false;
        update();
    }

    /**
     * No more decisions: the body ended, or the exchange let the rest of it flow to be dropped (a
     * paused request must not be resumed or paused again after that).
     */
    void close() {
        closed = true;
    }

    /** Whether the client is being read (for tests). */
    boolean reading() {
        return reading;
    }

    private void update() {
        if (closed) {
            return;
        }
        boolean read = started && !inChain && !upstreamFull && !awaitingUpstream;
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

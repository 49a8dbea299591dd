package io.wasmesh.proxy.exchange;

/**
 * Whether the upstream's response body may be read now, when it goes through the filter chain: the
 * one place that pauses and resumes it, so that no one reason to stop reading is undone by
 * another's resume (the response side of {@link ClientReads}). Reading stops while
 *
 * <ul>
 *   <li>a chunk is in the filter chain (the filters see the chunks one at a time and in order),
 *   <li>the client response's write queue is full, until its drain handler says it emptied
 *       (backpressure: a fast upstream and a slow client must not make the proxy buffer without
 *       bound; body a filter lets go on its own fills the queue as much as a phase's output).
 * </ul>
 *
 * <p>The upstream is resumed only when neither holds. Event loop only.
 */
final class UpstreamReads {
    private final Runnable pause;
    private final Runnable resume;
    private boolean started;
    private boolean inChain;
    private boolean clientFull;
    private boolean closed;
    private boolean reading; // the upstream response starts paused (ResponseWriter.relay)

    UpstreamReads(Runnable pause, Runnable resume) {
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

    /** The chain's phase for the chunk is over and its output was written. */
    void chainDone() {
        inChain = false;
        update();
    }

    /** Whether the client's write queue was found full and has not drained since. */
    boolean clientFull() {
        return clientFull;
    }

    /** The client response's write queue is full. */
    void clientFilled() {
        clientFull = true;
        update();
    }

    /** The client response's write queue drained. */
    void clientDrained() {
        clientFull = false;
        update();
    }

    /** No more decisions: the upstream's body ended (an ended response is not paused again). */
    void close() {
        closed = true;
    }

    /** Whether the upstream is being read (for tests). */
    boolean reading() {
        return reading;
    }

    private void update() {
        if (closed) {
            return;
        }
        boolean read = started && !inChain && !clientFull;
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

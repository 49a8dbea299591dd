package io.wasmesh.wasm.proxywasm;

/**
 * What a filter decided in one callback.
 *
 * <ul>
 *   <li>{@code CONTINUE}: forward. For a body callback, {@link #body()} holds the bytes to forward:
 *       the buffered body as the filter left it (empty when nothing is due).
 *   <li>{@code STOP}: hold this direction. For headers, deliver nothing more until the stream
 *       resumes; for a body, the host keeps buffering and calls again with the next chunk. A later
 *       {@link StreamObserver#onResume} says when to go on.
 *   <li>{@code LOCAL_REPLY}: answer with {@link #localReply()} instead of forwarding.
 *   <li>{@code RESET}: the filter closed the stream ({@code proxy_close_stream}): reset it.
 * </ul>
 */
public record FilterResult(Action action, byte[] body, LocalReply localReply) {

    /** The four outcomes. */
    public enum Action {
        CONTINUE,
        STOP,
        LOCAL_REPLY,
        RESET
    }

    private static final byte[] NONE = new byte[0];
    public static final FilterResult CONTINUE = new FilterResult(Action.CONTINUE, NONE, null);
    public static final FilterResult STOP = new FilterResult(Action.STOP, NONE, null);
    public static final FilterResult RESET = new FilterResult(Action.RESET, NONE, null);

    public static FilterResult continueWith(byte[] body) {
        return body.length == 0 ? CONTINUE : new FilterResult(Action.CONTINUE, body, null);
    }

    public static FilterResult localReply(LocalReply reply) {
        return new FilterResult(Action.LOCAL_REPLY, NONE, reply);
    }
}

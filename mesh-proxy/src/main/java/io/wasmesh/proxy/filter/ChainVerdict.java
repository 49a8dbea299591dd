package io.wasmesh.proxy.filter;

import io.wasmesh.wasm.proxywasm.LocalReply;

/**
 * What a filter chain decided for one phase of a stream.
 *
 * <ul>
 *   <li>{@code CONTINUE}: go on; for a body phase {@link #body()} is what to forward now;
 *   <li>{@code HELD}: a body phase only: a filter is buffering, forward nothing yet;
 *   <li>{@code LOCAL_REPLY}: answer with {@link #reply()};
 *   <li>{@code RESET}: a filter closed the stream.
 * </ul>
 */
public record ChainVerdict(Kind kind, byte[] body, LocalReply reply) {
    public enum Kind {
        CONTINUE,
        HELD,
        LOCAL_REPLY,
        RESET
    }

    private static final byte[] EMPTY = new byte[0];
    public static final ChainVerdict CONTINUE = new ChainVerdict(Kind.CONTINUE, EMPTY, null);
    public static final ChainVerdict HELD = new ChainVerdict(Kind.HELD, EMPTY, null);
    public static final ChainVerdict RESET = new ChainVerdict(Kind.RESET, EMPTY, null);

    public static ChainVerdict forward(byte[] body) {
        return body.length == 0 ? CONTINUE : new ChainVerdict(Kind.CONTINUE, body, null);
    }

    public static ChainVerdict reply(LocalReply reply) {
        return new ChainVerdict(Kind.LOCAL_REPLY, EMPTY, reply);
    }
}

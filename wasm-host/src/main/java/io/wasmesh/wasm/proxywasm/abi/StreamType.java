package io.wasmesh.wasm.proxywasm.abi;

/**
 * {@code proxy_stream_type_t}: which direction {@code continue_stream}/{@code close_stream} act on.
 */
public enum StreamType {
    HTTP_REQUEST,
    HTTP_RESPONSE,
    DOWNSTREAM,
    UPSTREAM;

    /** The stream type for an ABI value, or null when out of range. */
    public static StreamType of(int value) {
        return value >= 0 && value < values().length ? values()[value] : null;
    }
}

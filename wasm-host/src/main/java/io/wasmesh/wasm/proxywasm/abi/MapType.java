package io.wasmesh.wasm.proxywasm.abi;

/** {@code proxy_map_type_t}. */
public final class MapType {
    public static final int HTTP_REQUEST_HEADERS = 0;
    public static final int HTTP_REQUEST_TRAILERS = 1;
    public static final int HTTP_RESPONSE_HEADERS = 2;
    public static final int HTTP_RESPONSE_TRAILERS = 3;
    public static final int GRPC_CALL_INITIAL_METADATA = 4;
    public static final int GRPC_CALL_TRAILING_METADATA = 5;
    public static final int HTTP_CALL_RESPONSE_HEADERS = 6;
    public static final int HTTP_CALL_RESPONSE_TRAILERS = 7;

    private MapType() {}
}

package io.wasmesh.wasm.proxywasm.abi;

/** {@code proxy_buffer_type_t}. */
public final class BufferType {
    public static final int HTTP_REQUEST_BODY = 0;
    public static final int HTTP_RESPONSE_BODY = 1;
    public static final int DOWNSTREAM_DATA = 2;
    public static final int UPSTREAM_DATA = 3;
    public static final int HTTP_CALL_RESPONSE_BODY = 4;
    public static final int GRPC_CALL_MESSAGE = 5;
    public static final int VM_CONFIGURATION = 6;
    public static final int PLUGIN_CONFIGURATION = 7;
    public static final int FOREIGN_FUNCTION_ARGUMENTS = 8;

    private BufferType() {}
}

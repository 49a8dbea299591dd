package io.wasmesh.proxy.telemetry;

/** Which call into Wasm: a filter callback of a stream phase, or a service invocation. */
public enum WasmPhase {
    REQUEST_HEADERS("request_headers"),
    REQUEST_BODY("request_body"),
    RESPONSE_HEADERS("response_headers"),
    RESPONSE_BODY("response_body"),
    SERVICE("service");

    private final String label;

    WasmPhase(String label) {
        this.label = label;
    }

    /** The {@code wasmesh.phase} attribute value. */
    public String label() {
        return label;
    }
}

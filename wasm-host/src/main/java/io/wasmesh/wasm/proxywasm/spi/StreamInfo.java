package io.wasmesh.wasm.proxywasm.spi;

import java.util.List;

/**
 * Properties of a stream that only the embedder knows (addresses, connection, route, upstream), by
 * Envoy's attribute path, e.g. {@code ["source", "address"]}. Values are {@link String}, {@link
 * Long}, {@link Boolean}, {@code byte[]}, {@link java.time.Duration}, {@link java.time.Instant} or
 * {@code Map<String, String>}; the host encodes them as Envoy does. {@code request.*} and {@code
 * response.*} come from the headers the host already has.
 */
@FunctionalInterface
public interface StreamInfo {
    /** The value at {@code path}, or null when unknown. */
    Object property(List<String> path);

    /**
     * How long a call for this stream may run at most, in nanoseconds: what is left of its tenant's
     * Wasm time budget. {@link Long#MAX_VALUE}: only the plugin's call deadline applies.
     */
    default long wasmBudgetNanos() {
        return Long.MAX_VALUE;
    }

    StreamInfo NONE = path -> null;
}

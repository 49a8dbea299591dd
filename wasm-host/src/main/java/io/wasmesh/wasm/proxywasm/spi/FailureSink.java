package io.wasmesh.wasm.proxywasm.spi;

import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.proxywasm.PluginConfig;

/**
 * Told when a VM fails in a callback that belongs to no stream: a tick, a queue, an {@code
 * http_call} answer. (A failure in a stream's own callback reaches that stream's observer; these
 * would otherwise only be logged.)
 */
@FunctionalInterface
public interface FailureSink {
    FailureSink NONE = (plugin, failure) -> {};

    void vmFailed(PluginConfig plugin, GuestFailure failure);
}

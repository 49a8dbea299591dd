package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One HTTP stream through one plugin. Each call runs the filter's callback on the VM's lane and
 * completes with the filter's decision; call them in stream order (headers, body chunks, trailers;
 * request, then response) and wait for each before the next, as a filter chain does. Headers,
 * trailers and bodies handed in belong to the stream until the future completes; the filter's edits
 * are made in place.
 *
 * <p>When the VM fails, the plugin's {@link FailurePolicy} answers: a 503 local reply, or
 * (fail-open) CONTINUE and the filter is skipped for the rest of the stream.
 */
public final class HttpStream {
    private final ProxyWasmPlugin plugin;
    private final ProxyWasmPlugin.Slot slot;
    private final StreamState state;
    private ProxyWasmVm vm; // confined to the lane
    private boolean bypassed; // confined to the lane
    private GuestFailure lastFailure; // confined to the lane

    HttpStream(ProxyWasmPlugin plugin, ProxyWasmPlugin.Slot slot, StreamState state) {
        this.plugin = plugin;
        this.slot = slot;
        this.state = state;
        state.onVmFailure = failure -> plugin.failHeldStream(this, state);
    }

    public CompletableFuture<FilterResult> onRequestHeaders(
            HeaderMap headers, boolean endOfStream) {
        return run(vm -> vm.onRequestHeaders(state, headers, endOfStream), new byte[0]);
    }

    public CompletableFuture<FilterResult> onRequestBody(byte[] chunk, boolean endOfStream) {
        return run(vm -> vm.onRequestBody(state, chunk, endOfStream), chunk);
    }

    public CompletableFuture<FilterResult> onRequestTrailers(HeaderMap trailers) {
        return run(vm -> vm.onRequestTrailers(state, trailers), new byte[0]);
    }

    public CompletableFuture<FilterResult> onResponseHeaders(
            HeaderMap headers, boolean endOfStream) {
        return run(vm -> vm.onResponseHeaders(state, headers, endOfStream), new byte[0]);
    }

    public CompletableFuture<FilterResult> onResponseBody(byte[] chunk, boolean endOfStream) {
        return run(vm -> vm.onResponseBody(state, chunk, endOfStream), chunk);
    }

    public CompletableFuture<FilterResult> onResponseTrailers(HeaderMap trailers) {
        return run(vm -> vm.onResponseTrailers(state, trailers), new byte[0]);
    }

    /** Ends the stream in the filter ({@code on_log}, {@code on_done}, {@code on_delete}). */
    public CompletableFuture<Void> complete() {
        return slot.lane.submit(
                () -> {
                    completeNow();
                    return null;
                });
    }

    // ---- the same, called on the stream's lane (by a filter chain running a whole phase there)

    /** {@link #onRequestHeaders}, run now; call only from a task on this stream's lane. */
    public FilterResult requestHeadersNow(HeaderMap headers, boolean endOfStream) {
        return runNow(vm -> vm.onRequestHeaders(state, headers, endOfStream), new byte[0]);
    }

    /** {@link #onRequestBody}, run now; call only from a task on this stream's lane. */
    public FilterResult requestBodyNow(byte[] chunk, boolean endOfStream) {
        return runNow(vm -> vm.onRequestBody(state, chunk, endOfStream), chunk);
    }

    /** {@link #onRequestTrailers}, run now; call only from a task on this stream's lane. */
    public FilterResult requestTrailersNow(HeaderMap trailers) {
        return runNow(vm -> vm.onRequestTrailers(state, trailers), new byte[0]);
    }

    /** {@link #onResponseHeaders}, run now; call only from a task on this stream's lane. */
    public FilterResult responseHeadersNow(HeaderMap headers, boolean endOfStream) {
        return runNow(vm -> vm.onResponseHeaders(state, headers, endOfStream), new byte[0]);
    }

    /** {@link #onResponseBody}, run now; call only from a task on this stream's lane. */
    public FilterResult responseBodyNow(byte[] chunk, boolean endOfStream) {
        return runNow(vm -> vm.onResponseBody(state, chunk, endOfStream), chunk);
    }

    /** {@link #onResponseTrailers}, run now; call only from a task on this stream's lane. */
    public FilterResult responseTrailersNow(HeaderMap trailers) {
        return runNow(vm -> vm.onResponseTrailers(state, trailers), new byte[0]);
    }

    /** {@link #complete}, run now; call only from a task on this stream's lane. */
    public void completeNow() {
        requireLane();
        if (vm != null && !vm.failed()) {
            try {
                vm.completeStream(state);
            } catch (GuestFailure e) {
                plugin.failStream(slot, e, this, new byte[0]); // counted; nothing left to answer
            }
        }
    }

    private void requireLane() {
        if (!slot.lane.isCurrent()) {
            throw new IllegalStateException("called off the stream's lane");
        }
    }

    /**
     * The failure of the last callback run on this stream, cleared by reading it (null when it
     * succeeded); lane only. For telemetry: the callback's result already says what the failure
     * policy made of it.
     */
    public GuestFailure takeFailure() {
        GuestFailure f = lastFailure;
        lastFailure = null;
        return f;
    }

    void bypass() {
        bypassed = true;
    }

    private CompletableFuture<FilterResult> run(
            Function<ProxyWasmVm, FilterResult> callback, byte[] passthrough) {
        return slot.lane.submit(() -> runNow(callback, passthrough));
    }

    private FilterResult runNow(Function<ProxyWasmVm, FilterResult> callback, byte[] passthrough) {
        requireLane();
        if (bypassed) {
            return FilterResult.continueWith(passthrough);
        }
        try {
            if (vm == null) {
                vm = slot.vm();
            } else if (vm.failed() || vm != slot.vm) {
                throw vm.failed()
                        ? vm.failure()
                        : new GuestFailure(
                                GuestFailure.Kind.HOST_ERROR, "the stream's VM was replaced", null);
            }
            return callback.apply(vm);
        } catch (GuestFailure
                | PluginRejectedException
                | io.wasmesh.wasm.engine.ModuleRejectedException e) {
            lastFailure =
                    e instanceof GuestFailure
                            ? (GuestFailure) e
                            : new GuestFailure(GuestFailure.Kind.HOST_ERROR, e.getMessage(), e);
            return plugin.failStream(slot, e, this, passthrough);
        }
    }
}

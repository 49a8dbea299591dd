package io.wasmesh.proxy.filter;

import io.opentelemetry.context.Scope;
import io.wasmesh.proxy.telemetry.WasmPhase;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.HttpStream;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.abi.StreamType;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One stream through a route's plugins, Envoy's filter manager for Wasm: the request phases run the
 * plugins in order, the response phases in reverse. All the stream's plugins live on one lane, so a
 * whole phase (every plugin's callback) is one task there: one thread hop per phase, not per
 * plugin.
 *
 * <p>A plugin that stops its headers (waiting for an {@code http_call}, say) parks the phase; its
 * resume, reply or reset (heard through {@link StreamObserver}, on the lane) carries the phase on.
 * Each direction parks on its own: an upstream may answer while the end of the request is still
 * parked, and the response's headers may park in turn. A plugin that stops a body without end of
 * stream is buffering: the phase answers {@code HELD} and the next chunk goes through the chain
 * again.
 *
 * <p>Call the phases in stream order and one at a time, waiting for each future (which completes on
 * the lane thread: hop back before touching the connection).
 */
public final class FilterChain {
    private static final int REQUEST = 0;
    private static final int RESPONSE = 1;

    private final Lane lane;
    private final HttpStream[] streams;
    private final AsyncListener listener;
    private final FilterChainFactory.Listens listens;
    private final WasmCallObserver observer;

    // Confined to the lane: where each direction's phase is parked, by REQUEST and RESPONSE.
    private final Parked[] parked = new Parked[2];
    private boolean completed;

    /**
     * Told about what a plugin does outside a phase the proxy waits for: late replies and resets,
     * and body it released on its own after holding it.
     */
    public interface AsyncListener {
        void onLateReply(LocalReply reply);

        void onLateReset();

        void onReleasedBody(boolean request, byte[] body);

        AsyncListener IGNORE =
                new AsyncListener() {
                    @Override
                    public void onLateReply(LocalReply reply) {}

                    @Override
                    public void onLateReset() {}

                    @Override
                    public void onReleasedBody(boolean request, byte[] body) {}
                };
    }

    /** Where a phase stopped and how it goes on. */
    private record Parked(
            int index,
            CompletableFuture<ChainVerdict> result,
            java.util.function.Consumer<byte[]> resume) {}

    FilterChain(
            List<ProxyWasmPlugin> plugins,
            int laneIndex,
            Lane lane,
            FilterChainFactory.Listens listens,
            StreamInfo info,
            AsyncListener listener,
            WasmCallObserver observer) {
        this.observer = observer;
        this.lane = lane;
        this.listens = listens;
        this.listener = listener;
        this.streams = new HttpStream[plugins.size()];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = plugins.get(i).newStream(new Observer(i), info, laneIndex);
        }
    }

    public boolean isEmpty() {
        return streams.length == 0;
    }

    public CompletableFuture<ChainVerdict> onRequestHeaders(HeaderMap headers, boolean end) {
        if (!listens.requestHeaders()) {
            return CompletableFuture.completedFuture(ChainVerdict.CONTINUE);
        }
        return onLane(f -> headers(REQUEST, 0, headers, end, f));
    }

    public CompletableFuture<ChainVerdict> onRequestBody(byte[] chunk, boolean end) {
        return onLane(f -> body(REQUEST, 0, chunk, end, f));
    }

    /**
     * The upstream's response headers. A request phase still parked (the end of a body a plugin
     * holds) goes on when its plugin resumes it: the upstream may answer before the request ends.
     */
    public CompletableFuture<ChainVerdict> onResponseHeaders(HeaderMap headers, boolean end) {
        if (!listens.responseHeaders()) {
            return CompletableFuture.completedFuture(ChainVerdict.CONTINUE);
        }
        return onLane(f -> headers(RESPONSE, streams.length - 1, headers, end, f));
    }

    /**
     * The headers of an answer of the proxy's own (a local reply, a direct response, a service's
     * answer): the request goes no further, so a request phase still parked is dropped, as Envoy
     * stops decoding once it sends a local reply.
     */
    public CompletableFuture<ChainVerdict> onLocalResponseHeaders(HeaderMap headers, boolean end) {
        if (!listens.responseHeaders()) {
            if (streams.length > 0) {
                lane.execute(() -> parked[REQUEST] = null);
            }
            return CompletableFuture.completedFuture(ChainVerdict.CONTINUE);
        }
        return onLane(
                f -> {
                    parked[REQUEST] = null;
                    headers(RESPONSE, streams.length - 1, headers, end, f);
                });
    }

    public CompletableFuture<ChainVerdict> onResponseBody(byte[] chunk, boolean end) {
        return onLane(f -> body(RESPONSE, streams.length - 1, chunk, end, f));
    }

    /** Ends the stream in every plugin ({@code on_log}, {@code on_done}, {@code on_delete}). */
    public void complete() {
        if (streams.length == 0) {
            return;
        }
        lane.execute(
                () -> {
                    completed = true;
                    parked[REQUEST] = null;
                    parked[RESPONSE] = null;
                    for (HttpStream s : streams) {
                        s.completeNow();
                    }
                });
    }

    private CompletableFuture<ChainVerdict> onLane(
            java.util.function.Consumer<CompletableFuture<ChainVerdict>> phase) {
        CompletableFuture<ChainVerdict> f = new CompletableFuture<>();
        if (streams.length == 0) {
            f.complete(ChainVerdict.CONTINUE);
            return f;
        }
        lane.execute(
                () -> {
                    try {
                        phase.accept(f);
                    } catch (RuntimeException e) {
                        f.completeExceptionally(e);
                    }
                });
        return f;
    }

    /** One headers phase: request plugins in order, response plugins in reverse. */
    @SuppressWarnings("try") // the callback's span scope is held, not used
    private void headers(
            int direction,
            int from,
            HeaderMap headers,
            boolean end,
            CompletableFuture<ChainVerdict> f) {
        int step = direction == REQUEST ? 1 : -1;
        WasmPhase phase =
                direction == REQUEST ? WasmPhase.REQUEST_HEADERS : WasmPhase.RESPONSE_HEADERS;
        for (int i = from; i >= 0 && i < streams.length; i += step) {
            long start = System.nanoTime();
            FilterResult r;
            try (Scope traced = observer.enter(i, phase)) {
                r =
                        direction == REQUEST
                                ? streams[i].requestHeadersNow(headers, end)
                                : streams[i].responseHeadersNow(headers, end);
            }
            observer.exit(i, phase, start, r, streams[i].takeFailure());
            if (r.action() == FilterResult.Action.STOP) {
                int next = i + step;
                parked[direction] =
                        new Parked(i, f, b -> headers(direction, next, headers, end, f));
                return;
            }
            if (finished(r, f)) {
                return;
            }
        }
        f.complete(ChainVerdict.CONTINUE);
    }

    @SuppressWarnings("try") // the callback's span scope is held, not used
    private void body(
            int direction, int from, byte[] data, boolean end, CompletableFuture<ChainVerdict> f) {
        int step = direction == REQUEST ? 1 : -1;
        byte[] current = data;
        WasmPhase phase = direction == REQUEST ? WasmPhase.REQUEST_BODY : WasmPhase.RESPONSE_BODY;
        for (int i = from; i >= 0 && i < streams.length; i += step) {
            long start = System.nanoTime();
            FilterResult r;
            try (Scope traced = observer.enter(i, phase)) {
                r =
                        direction == REQUEST
                                ? streams[i].requestBodyNow(current, end)
                                : streams[i].responseBodyNow(current, end);
            }
            observer.exit(i, phase, start, r, streams[i].takeFailure());
            if (r.action() == FilterResult.Action.STOP) {
                if (end) {
                    int next = i + step;
                    parked[direction] =
                            new Parked(i, f, released -> body(direction, next, released, true, f));
                } else {
                    f.complete(ChainVerdict.HELD);
                }
                return;
            }
            if (finished(r, f)) {
                return;
            }
            current = r.body();
        }
        f.complete(ChainVerdict.forward(current));
    }

    /** Completes {@code f} for a reply or reset; false when the plugin let the data through. */
    private static boolean finished(FilterResult r, CompletableFuture<ChainVerdict> f) {
        switch (r.action()) {
            case LOCAL_REPLY:
                f.complete(ChainVerdict.reply(r.localReply()));
                return true;
            case RESET:
                f.complete(ChainVerdict.RESET);
                return true;
            default:
                return false;
        }
    }

    /** One plugin's stream events, on the lane. */
    private final class Observer implements StreamObserver {
        private final int index;

        Observer(int index) {
            this.index = index;
        }

        @Override
        public void onResume(StreamType direction, byte[] bufferedBody) {
            int dir = direction == StreamType.HTTP_REQUEST ? REQUEST : RESPONSE;
            Parked p = parked[dir];
            if (completed) {
                return;
            }
            if (p != null && p.index() == index) {
                parked[dir] = null;
                p.resume().accept(bufferedBody);
            } else if (bufferedBody.length > 0) {
                // The plugin held body chunks (HELD) and let them go on its own: run them through
                // the rest of the chain and hand them to the proxy.
                CompletableFuture<ChainVerdict> rest = new CompletableFuture<>();
                int step = dir == REQUEST ? 1 : -1;
                body(dir, index + step, bufferedBody, false, rest);
                rest.thenAccept(
                        v -> {
                            if (v.kind() == ChainVerdict.Kind.CONTINUE && v.body().length > 0) {
                                listener.onReleasedBody(dir == REQUEST, v.body());
                            } else if (v.kind() == ChainVerdict.Kind.LOCAL_REPLY) {
                                listener.onLateReply(v.reply());
                            } else if (v.kind() == ChainVerdict.Kind.RESET) {
                                listener.onLateReset();
                            }
                        });
            }
        }

        @Override
        public void onLocalReply(LocalReply reply) {
            Parked p = unpark();
            if (completed) {
                return;
            }
            if (p != null) {
                p.result().complete(ChainVerdict.reply(reply));
            } else {
                listener.onLateReply(reply);
            }
        }

        @Override
        public void onReset() {
            Parked p = unpark();
            if (completed) {
                return;
            }
            if (p != null) {
                p.result().complete(ChainVerdict.RESET);
            } else {
                listener.onLateReset();
            }
        }

        /**
         * A reply or reset ends the stream: both directions' parked phases are dropped, and the one
         * that hears of it is the response's when both were parked (the reply then goes straight to
         * the client, as one made in the response phase does), else whichever was.
         */
        private Parked unpark() {
            Parked p = parked[RESPONSE] != null ? parked[RESPONSE] : parked[REQUEST];
            parked[REQUEST] = null;
            parked[RESPONSE] = null;
            return p;
        }
    }
}

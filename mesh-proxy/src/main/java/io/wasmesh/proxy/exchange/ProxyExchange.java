package io.wasmesh.proxy.exchange;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.wasmesh.config.DirectResponse;
import io.wasmesh.config.Redirect;
import io.wasmesh.config.RouteAction;
import io.wasmesh.proxy.filter.ChainVerdict;
import io.wasmesh.proxy.filter.FilterChain;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.stats.ProxyMetrics;
import io.wasmesh.proxy.telemetry.RequestTrace;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.wasm.exec.Handoff;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.concurrent.CompletableFuture;

/**
 * One request through the proxy, on its event loop: request headers through the filter chain, the
 * route's action (a cluster with retries and timeouts, a Wasm service, a direct response, a
 * redirect), then the response back through the chain in reverse. Filter phases run on a Wasm lane;
 * every result hops back here ({@link #onLoop}) before the connection is touched, so this object
 * and its helpers are confined to the event loop and need no locks.
 *
 * <p>This class owns the exchange's lifecycle: which phase is current, a local reply taking over,
 * abort and the one {@link #finish} that releases what the request holds. The work is done by
 * helpers made once per exchange, one job each: {@link RequestBody} reads the client's body, {@link
 * UpstreamTries} sends the request to the cluster (retries, timeouts, circuit breaker), {@link
 * ResponseWriter} answers the client, {@link WasmServiceCall} asks a Wasm service.
 */
public final class ProxyExchange implements FilterChain.AsyncListener {
    final TenantRuntime tenant;
    final Route route;
    final HttpServerRequest req;
    final HeaderMap requestHeaders;
    final Context context;
    final ProxyMetrics metrics;
    final ExchangeInfo info;
    final RequestTrace trace;
    final FilterChain chain;
    final long startNanos = System.nanoTime();

    final RequestBody body;
    final UpstreamTries tries;
    final ResponseWriter writer;

    private final ProxySnapshot snapshot;
    private final HttpServerResponse resp;
    private boolean encoding; // a response (upstream or local) entered the chain's response phase
    private int phase; // bumped when a local reply takes over: older phase results are dropped
    private boolean done;

    public ProxyExchange(
            ProxySnapshot snapshot,
            TenantRuntime tenant,
            Route route,
            HttpServerRequest req,
            HeaderMap requestHeaders,
            Context context,
            ProxyMetrics metrics,
            RequestTrace trace) {
        this.snapshot = snapshot;
        this.tenant = tenant;
        this.route = route;
        this.req = req;
        this.resp = req.response();
        this.requestHeaders = requestHeaders;
        this.context = context;
        this.metrics = metrics;
        this.info = new ExchangeInfo(req, route.name());
        this.trace = trace;
        this.chain = route.filters().newChain(info, this, trace);
        this.body = new RequestBody(this);
        this.tries = new UpstreamTries(this);
        this.writer = new ResponseWriter(this);
    }

    public void start() {
        req.pause();
        resp.closeHandler(v -> abort("client closed the connection"));
        boolean end = !body.expected();
        onLoop(chain.onRequestHeaders(requestHeaders, end), v -> afterRequestHeaders(v, end));
    }

    private void afterRequestHeaders(ChainVerdict v, boolean endOfStream) {
        if (filtersEnded(v)) {
            return;
        }
        RouteAction action = route.action();
        if (action instanceof DirectResponse) {
            DirectResponse d = (DirectResponse) action;
            HeaderMap h = new HeaderMap();
            d.headers().forEach((k, val) -> h.add(k, val));
            writer.respondFromProxy(
                    d.status(), h, d.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (action instanceof Redirect) {
            HeaderMap h =
                    HeaderMap.of(
                            "location",
                            Redirects.location(
                                    (Redirect) action,
                                    route.config().match().prefix(),
                                    requestHeaders));
            writer.respondFromProxy(((Redirect) action).status(), h, new byte[0]);
        } else if (route.service() != null) {
            new WasmServiceCall(this).serve(!endOfStream);
        } else {
            tries.forward(!endOfStream);
        }
    }

    /** True (and the exchange answered) when a filter replied or reset. */
    boolean filtersEnded(ChainVerdict v) {
        if (v.kind() == ChainVerdict.Kind.LOCAL_REPLY) {
            metrics.increment(
                    "wasmesh_local_replies_total", "tenant", tenant.name(), "route", route.name());
            sendLocal(v.reply());
            return true;
        }
        if (v.kind() == ChainVerdict.Kind.RESET) {
            resetClient("a filter closed the stream");
            return true;
        }
        return false;
    }

    boolean isDone() {
        return done;
    }

    /** True once a response (the upstream's or the proxy's) entered the chain's response phase. */
    boolean isEncoding() {
        return encoding;
    }

    void startEncoding() {
        encoding = true;
    }

    /**
     * Answers with a reply of the proxy's or a filter's. Before any response entered the chain's
     * response phase, the reply goes through it, as Envoy sends local replies through the encoder
     * filters (a filter that adds CORS headers adds them to a 401 or a 503 too), and whatever the
     * request phase was still doing is dropped. A reply made in the response phase goes straight to
     * the client, so a reply cannot loop through the filters.
     */
    void sendLocal(LocalReply reply) {
        if (done) {
            return;
        }
        if (resp.headWritten()) {
            resetClient("local reply after the response started");
            return;
        }
        if (!encoding && !chain.isEmpty()) {
            phase++;
            tries.disown(); // an upstream answer still on its way is not this exchange's now
            HeaderMap headers = reply.headers() == null ? new HeaderMap() : reply.headers().copy();
            headers.remove("content-length");
            writer.respondFromProxy(reply.status(), headers, reply.body());
            return;
        }
        writer.sendDirect(reply);
    }

    void resetClient(String why) {
        if (!done) {
            resp.reset();
            finish(-1);
        }
    }

    private void abort(String why) {
        if (done) {
            return;
        }
        tries.abort();
        finish(-1);
    }

    /** Ends the exchange once: releases its timers, breaker slots, filter streams and snapshot. */
    void finish(int status) {
        if (done) {
            return;
        }
        done = true;
        tries.release();
        chain.complete();
        tenant.requestFinished();
        tries.endAttempt();
        trace.end(status);
        metrics.increment(
                "wasmesh_requests_total",
                "tenant",
                tenant.name(),
                "route",
                route.name(),
                "code",
                status < 0 ? "reset" : Integer.toString(status));
        snapshot.release();
    }

    // ---- FilterChain.AsyncListener: plugin events outside a phase we wait for (on a lane) ----

    @Override
    public void onLateReply(LocalReply reply) {
        toLoop(v -> sendLocal(reply));
    }

    @Override
    public void onLateReset() {
        toLoop(v -> resetClient("a filter closed the stream"));
    }

    @Override
    public void onReleasedBody(boolean request, byte[] released) {
        toLoop(
                v -> {
                    if (done) {
                        return;
                    }
                    if (request) {
                        body.released(released);
                    } else {
                        writer.released(released);
                    }
                });
    }

    // ---- results hop back to the event loop ----

    /**
     * Runs {@code then} on this exchange's event loop once {@code f} completes, unless the exchange
     * finished or a local reply took over meanwhile; a failed phase answers 500. When {@code f} is
     * already done on the event loop it runs at once: for the headers phases (a request or response
     * no plugin reads the headers of costs no task) and a service's answer. That shortcut cannot
     * put a result before body the lane let go earlier, as it could for a body phase: a filter
     * holds body only in a body phase, and the first body phase of a direction starts after its
     * headers' result was handled, so no released body of that direction can be waiting; released
     * request body still arriving while the response's headers come back goes to the upstream
     * request, which they do not touch. Body phases use {@link #afterLane}.
     */
    <T> void onLoop(CompletableFuture<T> f, Handler<T> then) {
        if (f.isDone()
                && Context.isOnEventLoopThread()
                && context == io.vertx.core.Vertx.currentContext()) {
            complete(phase, f.join(), null, then);
            return;
        }
        afterLane(f, then);
    }

    /**
     * As {@link #onLoop}, but always as a task on the event loop, even when {@code f} is already
     * done: results then reach the loop in the order the lane made them, with the other events the
     * lane sends it (body a filter releases on its own, {@link #onReleasedBody}). For every body
     * phase, request and response. It costs little: the shortcut saved a task only when the lane
     * had finished the phase before the event loop looked at its future, which is rare per phase
     * (and is exactly the case that let a result overtake released body).
     */
    <T> void afterLane(CompletableFuture<T> f, Handler<T> then) {
        int started = phase;
        f.whenComplete((v, e) -> toLoop(x -> complete(started, v, e, then)));
    }

    /**
     * Runs {@code task} on this exchange's event loop, called from a lane's thread (or any); a
     * low-priority Wasm worker hands it over through {@link Handoff}, never into the event loop's
     * queue itself.
     */
    private void toLoop(Handler<Void> task) {
        Handoff.run(() -> context.runOnContext(task));
    }

    private <T> void complete(int started, T value, Throwable error, Handler<T> then) {
        if (done || started != phase) {
            return;
        }
        if (error != null) {
            encoding = true; // the chain failed: its 500 does not go through it again
            sendLocal(
                    LocalReply.of(
                            500, "filter_chain_error", "internal error in the filter chain\n"));
            return;
        }
        then.handle(value);
    }
}

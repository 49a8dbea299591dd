package io.wasmesh.proxy.exchange;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.config.DirectResponse;
import io.wasmesh.config.Redirect;
import io.wasmesh.config.RetryPolicy;
import io.wasmesh.config.RouteAction;
import io.wasmesh.proxy.filter.ChainVerdict;
import io.wasmesh.proxy.filter.FilterChain;
import io.wasmesh.proxy.http.HeaderConversion;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.service.ServiceRequest;
import io.wasmesh.proxy.service.ServiceResponse;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.stats.ProxyMetrics;
import io.wasmesh.proxy.telemetry.ClientCall;
import io.wasmesh.proxy.telemetry.RequestTrace;
import io.wasmesh.proxy.telemetry.ServiceCall;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.proxy.upstream.Cluster;
import io.wasmesh.proxy.upstream.UpstreamHost;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.concurrent.CompletableFuture;

/**
 * One request through the proxy, on its event loop: request headers through the filter chain, the
 * route's action (a cluster with retries and timeouts, a direct response, a redirect), then the
 * response back through the chain in reverse. Filter phases run on a Wasm lane; every result hops
 * back here before the connection is touched, so all fields are confined to the event loop.
 *
 * <p>The request body streams to the upstream as it arrives (through the chain when a filter reads
 * bodies) unless the route retries, in which case it is buffered, up to the tenant's limit, so it
 * can be sent again.
 */
public final class ProxyExchange implements FilterChain.AsyncListener {
    private enum BodyMode {
        NONE,
        STREAM,
        BUFFERED
    }

    private final ProxySnapshot snapshot;
    private final TenantRuntime tenant;
    private final Route route;
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final Context context;
    private final ProxyMetrics metrics;
    private final ExchangeInfo info;
    private final FilterChain chain;
    private final RequestTrace trace;
    private ClientCall attempt;
    private int tries;
    private final long startNanos = System.nanoTime();

    private final HeaderMap requestHeaders;
    private BodyMode bodyMode = BodyMode.NONE;
    private Buffer bufferedBody;
    private Cluster cluster;
    private UpstreamHost host;
    private HttpClientRequest upstream;
    private int triesLeft;
    private boolean holdsRequestSlot;
    private boolean holdsRetrySlot;
    private boolean tryHeld;
    private long routeTimer = -1;
    private long tryTimer = -1;
    private int tryGeneration;
    private boolean responding;
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
    }

    public void start() {
        req.pause();
        resp.closeHandler(v -> abort("client closed the connection"));
        boolean end = !expectsBody();
        onLoop(chain.onRequestHeaders(requestHeaders, end), v -> afterRequestHeaders(v, end));
    }

    private boolean expectsBody() {
        String length = req.getHeader("content-length");
        if (length != null) {
            return !length.trim().equals("0");
        }
        if (req.version() == HttpVersion.HTTP_2) {
            return !req.isEnded();
        }
        String te = req.getHeader("transfer-encoding");
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
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
            respondFromProxy(
                    d.status(), h, d.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (action instanceof Redirect) {
            HeaderMap h =
                    HeaderMap.of(
                            "location",
                            Redirects.location(
                                    (Redirect) action,
                                    route.config().match().prefix(),
                                    requestHeaders));
            respondFromProxy(((Redirect) action).status(), h, new byte[0]);
        } else if (route.service() != null) {
            serve(!endOfStream);
        } else {
            forward(!endOfStream);
        }
    }

    // ---- Wasm service ----

    /** Reads the whole request (through the chain's body phase), then asks the service. */
    private void serve(boolean hasBody) {
        if (!hasBody) {
            callService(new byte[0]);
        } else {
            bufferRequestBody(this::callService);
        }
    }

    private void callService(byte[] body) {
        String prefix = route.config().match().prefix();
        ServiceRequest request =
                new ServiceRequest(
                        requestHeaders,
                        body,
                        prefix == null ? "" : prefix,
                        req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
                        req.localAddress() == null ? 0 : req.localAddress().port(),
                        info);
        ServiceCall call = trace.service(route.service().name(), requestHeaders);
        CompletableFuture<ServiceResponse> answer;
        try (io.opentelemetry.context.Scope traced = call.makeCurrent()) {
            answer = route.service().handle(request);
        }
        onLoop(
                answer.whenComplete(
                        (r, e) -> {
                            if (e != null) {
                                call.fail(e);
                            } else {
                                call.end(r.status(), r.headers());
                            }
                        }),
                r ->
                        respondFromProxy(
                                r.status(),
                                HeaderConversion.withoutHopByHop(r.headers()),
                                r.body()));
    }

    /** True (and the exchange answered) when a filter replied or reset. */
    private boolean filtersEnded(ChainVerdict v) {
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

    // ---- upstream ----

    private void forward(boolean hasBody) {
        cluster = route.pickCluster();
        info.clusterName = cluster.name();
        if (!cluster.breaker().tryRequest()) {
            metrics.increment(
                    "wasmesh_upstream_overflow_total",
                    "tenant",
                    tenant.name(),
                    "cluster",
                    cluster.name());
            sendLocal(overloaded());
            return;
        }
        holdsRequestSlot = true;
        RetryPolicy retries = route.config().retries();
        triesLeft = 1 + (retries == null ? 0 : retries.attempts());
        long timeout = route.config().timeout().toMillis();
        if (timeout > 0) {
            routeTimer = context.owner().setTimer(timeout, t -> routeTimedOut());
        }
        if (!hasBody) {
            bodyMode = BodyMode.NONE;
            tryUpstream();
        } else if (triesLeft > 1 && !declaredOverBufferLimit()) {
            bodyMode = BodyMode.BUFFERED;
            bufferRequestBody(
                    body -> {
                        bufferedBody = Buffer.buffer(body);
                        tryUpstream();
                    });
        } else {
            bodyMode = BodyMode.STREAM;
            tryUpstream();
        }
    }

    /**
     * A body announced larger than the retry buffer streams instead, without retries (as in Envoy);
     * a chunked body that outgrows the buffer gets 413.
     */
    private boolean declaredOverBufferLimit() {
        String length = req.getHeader("content-length");
        try {
            return length != null
                    && Long.parseLong(length.trim())
                            > tenant.config().limits().maxRequestBodyBytes();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Reads the whole request body, through the chain when a plugin reads bodies, up to the
     * tenant's limit (413 beyond), then hands it to {@code then}.
     */
    private void bufferRequestBody(Handler<byte[]> then) {
        long limit = tenant.config().limits().maxRequestBodyBytes();
        Buffer body = Buffer.buffer();
        req.handler(
                chunk -> {
                    if (done) {
                        return;
                    }
                    if (body.length() + chunk.length() > limit) {
                        req.handler(null);
                        sendLocal(
                                LocalReply.of(
                                        413,
                                        "request_payload_too_large",
                                        "request body too large\n"));
                        return;
                    }
                    throughRequestChain(chunk, false, out -> body.appendBytes(out));
                });
        req.endHandler(
                v ->
                        throughRequestChain(
                                Buffer.buffer(),
                                true,
                                out -> {
                                    body.appendBytes(out);
                                    then.handle(body.getBytes());
                                }));
        req.resume();
    }

    /**
     * Passes a request body chunk through the chain (when a filter reads bodies) and hands on what
     * comes out; the request is paused meanwhile.
     */
    private void throughRequestChain(Buffer chunk, boolean end, Handler<byte[]> out) {
        if (!route.filters().inspectsRequestBody()) {
            out.handle(chunk.getBytes());
            return;
        }
        req.pause();
        onLoop(
                chain.onRequestBody(chunk.getBytes(), end),
                v -> {
                    if (filtersEnded(v)) {
                        return;
                    }
                    out.handle(v.body());
                    if (!end) {
                        req.resume();
                    }
                });
    }

    private void tryUpstream() {
        if (done || encoding) {
            return;
        }
        triesLeft--;
        int generation = ++tryGeneration;
        UpstreamHost previous = host;
        host = cluster.pick(cluster.hashesRequests() ? hashKey() : 0, previous);
        if (host == null) {
            finishTry(-1);
            sendLocal(LocalReply.of(503, "no_healthy_upstream", "no healthy upstream\n"));
            return;
        }
        info.upstreamAddress = host.address();
        cluster.started(host);
        tryHeld = true;
        java.time.Duration perTry = perTryTimeout();
        if (perTry != null && !perTry.isZero()) {
            tryTimer =
                    context.owner()
                            .setTimer(
                                    perTry.toMillis(),
                                    t -> tryFailed(generation, RetryRules.Failure.TIMEOUT));
        }
        RequestOptions options =
                new RequestOptions()
                        .setHost(host.host())
                        .setPort(host.port())
                        .setMethod(HttpMethod.valueOf(requestHeaders.get(":method")))
                        .setURI(requestHeaders.get(":path"));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        HeaderConversion.copyRegular(requestHeaders, headers);
        headers.set("host", requestHeaders.get(":authority"));
        if (bodyMode == BodyMode.BUFFERED || route.filters().inspectsRequestBody()) {
            headers.remove("content-length"); // filters may have changed the body
        }
        attempt =
                trace.upstream(
                        cluster.name(),
                        host.host(),
                        host.port(),
                        tries++,
                        headers,
                        cluster.propagatesTraceContext());
        options.setHeaders(headers);
        cluster.client()
                .request(options)
                .onComplete(
                        ar -> {
                            if (generation != tryGeneration || done) {
                                if (ar.succeeded()) {
                                    ar.result().reset();
                                }
                                return;
                            }
                            if (ar.failed()) {
                                tryFailed(
                                        generation,
                                        isOverflow(ar.cause())
                                                ? RetryRules.Failure.OVERFLOW
                                                : RetryRules.Failure.CONNECT);
                                return;
                            }
                            upstream = ar.result();
                            upstream.response()
                                    .onComplete(
                                            r -> {
                                                if (generation != tryGeneration || done) {
                                                    return;
                                                }
                                                if (r.failed()) {
                                                    tryFailed(generation, RetryRules.Failure.RESET);
                                                } else {
                                                    onUpstreamResponse(generation, r.result());
                                                }
                                            });
                            sendRequestBody(upstream);
                        });
    }

    /**
     * How long one try may take: the route's retry policy says, else the cluster's request timeout;
     * null for no limit beyond the route's timeout.
     */
    private java.time.Duration perTryTimeout() {
        RetryPolicy retries = route.config().retries();
        if (retries != null && retries.perTryTimeout() != null) {
            return retries.perTryTimeout();
        }
        return cluster.config().requestTimeout();
    }

    private void sendRequestBody(HttpClientRequest out) {
        switch (bodyMode) {
            case NONE:
                out.end();
                break;
            case BUFFERED:
                out.end(bufferedBody);
                break;
            default:
                streamRequestBody(out);
        }
    }

    private void streamRequestBody(HttpClientRequest out) {
        if (!route.filters().inspectsRequestBody()) {
            req.pipeTo(out);
            return;
        }
        out.setChunked(true);
        req.handler(
                chunk ->
                        throughRequestChain(
                                chunk,
                                false,
                                bytes -> {
                                    if (bytes.length > 0) {
                                        out.write(Buffer.buffer(bytes));
                                    }
                                    if (out.writeQueueFull()) {
                                        req.pause();
                                        out.drainHandler(v -> req.resume());
                                    }
                                }));
        req.endHandler(
                v ->
                        throughRequestChain(
                                Buffer.buffer(), true, bytes -> out.end(Buffer.buffer(bytes))));
        req.resume();
    }

    private void tryFailed(int generation, RetryRules.Failure failure) {
        if (generation != tryGeneration || done || encoding) {
            return;
        }
        tryGeneration++; // whatever the failed try still delivers is ignored
        cancelTryTimer();
        if (attempt != null) {
            attempt.fail(failure.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (upstream != null) {
            upstream.reset();
            upstream = null;
        }
        finishTry(-1);
        if (RetryRules.retriable(route.config().retries(), failure, -1) && retry()) {
            return;
        }
        switch (failure) {
            case TIMEOUT:
                sendLocal(
                        LocalReply.of(
                                504, "upstream_per_try_timeout", "upstream request timeout\n"));
                break;
            case OVERFLOW:
                sendLocal(overloaded());
                break;
            default:
                sendLocal(
                        LocalReply.of(
                                503,
                                "upstream_reset_before_response_started",
                                "upstream connect error or disconnect/reset before headers\n"));
        }
    }

    private void onUpstreamResponse(int generation, HttpClientResponse response) {
        cancelTryTimer();
        int status = response.statusCode();
        attempt.end(status);
        if (RetryRules.retriable(route.config().retries(), null, status)
                && bodyMode != BodyMode.STREAM
                && retry(response, status)) {
            return;
        }
        responding = true;
        response.pause();
        HeaderMap headers = HeaderConversion.fromResponse(status, response.headers());
        headers.set(
                "x-wasmesh-upstream-service-time",
                Long.toString((System.nanoTime() - startNanos) / 1_000_000));
        boolean end =
                status == 204
                        || status == 304
                        || "0".equals(response.getHeader("content-length"))
                        || requestHeaders.get(":method").equals("HEAD");
        encoding = true;
        onLoop(
                chain.onResponseHeaders(headers, end),
                v -> {
                    if (v.kind() != ChainVerdict.Kind.CONTINUE) {
                        finishTry(status);
                        upstream.reset();
                        filtersEnded(v);
                        return;
                    }
                    writeResponseHeaders(headers);
                    streamResponseBody(response, status);
                });
    }

    private boolean retry(HttpClientResponse response, int status) {
        if (triesLeft <= 0 || done || !cluster.breaker().tryRetry()) {
            return false;
        }
        finishTry(status);
        response.body(); // read it to the end so the connection goes back to the pool
        scheduleRetry();
        return true;
    }

    private boolean retry() {
        if (triesLeft <= 0
                || done
                || bodyMode == BodyMode.STREAM
                || !cluster.breaker().tryRetry()) {
            return false;
        }
        scheduleRetry();
        return true;
    }

    /** Waits the policy's backoff, then tries again. */
    private void scheduleRetry() {
        holdsRetrySlot = true;
        metrics.increment(
                "wasmesh_upstream_retries_total",
                "tenant",
                tenant.name(),
                "cluster",
                cluster.name());
        RetryPolicy p = route.config().retries();
        int retryNumber = (1 + p.attempts()) - triesLeft; // 1 for the first retry
        long wait = RetryRules.backoffMillis(p, retryNumber);
        if (wait == 0) {
            context.runOnContext(v -> retryNow());
        } else {
            context.owner().setTimer(wait, t -> retryNow());
        }
    }

    private void retryNow() {
        if (holdsRetrySlot) {
            holdsRetrySlot = false;
            cluster.breaker().releaseRetry();
        }
        tryUpstream();
    }

    private void writeResponseHeaders(HeaderMap headers) {
        resp.setStatusCode(Integer.parseInt(headers.get(":status")));
        MultiMap out = resp.headers();
        HeaderConversion.copyRegular(headers, out);
        if (route.filters().inspectsResponseBody()) {
            out.remove("content-length");
        }
        if (out.get("content-length") == null && req.version() != HttpVersion.HTTP_2) {
            resp.setChunked(true);
        }
    }

    private void streamResponseBody(HttpClientResponse response, int status) {
        if (!route.filters().inspectsResponseBody()) {
            response.pipeTo(resp)
                    .onComplete(
                            r -> {
                                finishTry(r.succeeded() ? status : -1);
                                finish(status);
                            });
            return;
        }
        response.handler(
                chunk -> {
                    response.pause();
                    onLoop(
                            chain.onResponseBody(chunk.getBytes(), false),
                            v -> {
                                if (v.kind() == ChainVerdict.Kind.LOCAL_REPLY
                                        || v.kind() == ChainVerdict.Kind.RESET) {
                                    finishTry(status);
                                    resetClient("a filter stopped the response body");
                                    return;
                                }
                                if (v.body().length > 0) {
                                    resp.write(Buffer.buffer(v.body()));
                                }
                                if (resp.writeQueueFull()) {
                                    resp.drainHandler(d -> response.resume());
                                } else {
                                    response.resume();
                                }
                            });
                });
        response.endHandler(
                e ->
                        onLoop(
                                chain.onResponseBody(new byte[0], true),
                                v -> {
                                    finishTry(status);
                                    if (v.kind() != ChainVerdict.Kind.CONTINUE) {
                                        resetClient("a filter stopped the response body");
                                        return;
                                    }
                                    resp.end(Buffer.buffer(v.body()));
                                    finish(status);
                                }));
        response.exceptionHandler(
                e -> {
                    finishTry(-1);
                    resetClient("upstream reset during the response");
                });
        response.resume();
    }

    private void routeTimedOut() {
        routeTimer = -1;
        if (done) {
            return;
        }
        metrics.increment(
                "wasmesh_upstream_timeouts_total", "tenant", tenant.name(), "route", route.name());
        tryGeneration++;
        cancelTryTimer();
        if (upstream != null) {
            upstream.reset();
        }
        finishTry(-1);
        if (responding) {
            resetClient("route timeout during the response");
        } else {
            sendLocal(
                    LocalReply.of(504, "upstream_response_timeout", "upstream request timeout\n"));
        }
    }

    /** Releases the current try's endpoint with its result (once). */
    private void finishTry(int status) {
        if (host != null && cluster != null && tryHeld) {
            tryHeld = false;
            cluster.finished(host, status);
        }
    }

    private void cancelTryTimer() {
        if (tryTimer >= 0) {
            context.owner().cancelTimer(tryTimer);
            tryTimer = -1;
        }
    }

    private long hashKey() {
        String header = cluster.config().hashHeader();
        String key = header == null ? null : requestHeaders.get(header);
        if (key == null) {
            key = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        }
        return io.wasmesh.proxy.upstream.HashKeys.of(key);
    }

    // ---- answers from the proxy itself ----

    /**
     * An answer of the proxy's own (a direct response, a redirect, a service's answer, a local
     * reply): through the response phase of the chain like any other, so the filters see it.
     */
    private void respondFromProxy(int status, HeaderMap headers, byte[] body) {
        drainRequest();
        encoding = true;
        headers.set(":status", Integer.toString(status));
        onLoop(
                chain.onResponseHeaders(headers, body.length == 0),
                v -> {
                    if (filtersEnded(v)) {
                        return;
                    }
                    responding = true;
                    int answered = statusOf(headers, status);
                    resp.setStatusCode(answered);
                    HeaderConversion.copyRegular(headers, resp.headers());
                    if (body.length == 0 || !route.filters().inspectsResponseBody()) {
                        resp.end(Buffer.buffer(body));
                        finish(answered);
                        return;
                    }
                    onLoop(
                            chain.onResponseBody(body, true),
                            b -> {
                                if (b.kind() != ChainVerdict.Kind.CONTINUE) {
                                    resetClient("a filter stopped the response body");
                                    return;
                                }
                                resp.headers().remove("content-length");
                                resp.end(Buffer.buffer(b.body()));
                                finish(answered);
                            });
                });
    }

    /** The {@code :status} a response filter left (it may change it), else {@code fallback}. */
    private static int statusOf(HeaderMap headers, int fallback) {
        try {
            int s = Integer.parseInt(headers.get(":status"));
            return s >= 100 && s <= 999 ? s : fallback;
        } catch (NumberFormatException | NullPointerException e) {
            return fallback;
        }
    }

    /**
     * Answers with a reply of the proxy's or a filter's. Before any response entered the chain's
     * response phase, the reply goes through it, as Envoy sends local replies through the encoder
     * filters (a filter that adds CORS headers adds them to a 401 or a 503 too), and whatever the
     * request phase was still doing is dropped. A reply made in the response phase goes straight to
     * the client, so a reply cannot loop through the filters.
     */
    private void sendLocal(LocalReply reply) {
        if (done) {
            return;
        }
        if (resp.headWritten()) {
            resetClient("local reply after the response started");
            return;
        }
        if (!encoding && !chain.isEmpty()) {
            phase++;
            tryGeneration++; // an upstream answer still on its way is not this exchange's now
            HeaderMap headers = reply.headers() == null ? new HeaderMap() : reply.headers().copy();
            headers.remove("content-length");
            respondFromProxy(reply.status(), headers, reply.body());
            return;
        }
        sendDirect(reply);
    }

    /** Writes a reply to the client without the filters. */
    private void sendDirect(LocalReply reply) {
        drainRequest();
        resp.setStatusCode(reply.status());
        if (reply.headers() != null) {
            HeaderConversion.copyRegular(reply.headers(), resp.headers());
        }
        resp.headers().remove("content-length");
        resp.end(Buffer.buffer(reply.body()));
        finish(reply.status());
    }

    private static LocalReply overloaded() {
        return new LocalReply(
                503,
                "upstream_overflow",
                "upstream overloaded\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                HeaderMap.of("content-type", "text/plain", "x-wasmesh-overloaded", "true"),
                -1);
    }

    /** Lets an unread request body flow (and be dropped) so the connection stays usable. */
    private void drainRequest() {
        if (!req.isEnded()) {
            req.handler(null);
            req.endHandler(null);
            req.resume();
        }
    }

    private void resetClient(String why) {
        if (!done) {
            resp.reset();
            finish(-1);
        }
    }

    private void abort(String why) {
        if (done) {
            return;
        }
        tryGeneration++;
        if (upstream != null) {
            upstream.reset();
        }
        finishTry(-1);
        finish(-1);
    }

    private void finish(int status) {
        if (done) {
            return;
        }
        done = true;
        if (routeTimer >= 0) {
            context.owner().cancelTimer(routeTimer);
        }
        cancelTryTimer();
        if (holdsRetrySlot) {
            holdsRetrySlot = false;
            cluster.breaker().releaseRetry();
        }
        if (holdsRequestSlot) {
            holdsRequestSlot = false;
            cluster.breaker().releaseRequest();
        }
        chain.complete();
        tenant.requestFinished();
        if (attempt != null) {
            attempt.fail("aborted"); // no-op when the try already ended
        }
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
        context.runOnContext(v -> sendLocal(reply));
    }

    @Override
    public void onLateReset() {
        context.runOnContext(v -> resetClient("a filter closed the stream"));
    }

    @Override
    public void onReleasedBody(boolean request, byte[] body) {
        context.runOnContext(
                v -> {
                    if (done) {
                        return;
                    }
                    if (request && upstream != null && bodyMode == BodyMode.STREAM) {
                        upstream.write(Buffer.buffer(body));
                    } else if (!request && responding) {
                        resp.write(Buffer.buffer(body));
                    }
                });
    }

    /** Runs {@code then} on this exchange's event loop once {@code f} completes. */
    private <T> void onLoop(CompletableFuture<T> f, Handler<T> then) {
        int started = phase;
        if (f.isDone()
                && Context.isOnEventLoopThread()
                && context == io.vertx.core.Vertx.currentContext()) {
            complete(started, f.join(), null, then);
            return;
        }
        f.whenComplete((v, e) -> context.runOnContext(x -> complete(started, v, e, then)));
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

    private static boolean isOverflow(Throwable t) {
        String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("wait queue");
    }
}

package io.wasmesh.proxy.exchange;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.config.RetryPolicy;
import io.wasmesh.proxy.http.HeaderConversion;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.telemetry.ClientCall;
import io.wasmesh.proxy.upstream.Cluster;
import io.wasmesh.proxy.upstream.UpstreamHost;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * Sends an exchange's request to its route's cluster: one try after another on endpoints the load
 * balancer picks, within the circuit breaker's slots, the route's timeout and each try's timeout,
 * retried as the route's policy says ({@link RetryRules}). A try's result is counted once on its
 * endpoint (outlier detection, least request). Each try has a generation: whatever a try delivers
 * after it was given up (timed out, retried, overtaken by a local reply) is ignored.
 */
final class UpstreamTries {
    private final ProxyExchange exchange;
    private final Route route;
    private Cluster cluster;
    private UpstreamHost host;
    private HttpClientRequest upstream;
    private ClientCall attempt;
    private int tries;
    private int triesLeft;
    private boolean holdsRequestSlot;
    private boolean holdsRetrySlot;
    private boolean tryHeld;
    private long routeTimer = -1;
    private long tryTimer = -1;
    private int tryGeneration;

    UpstreamTries(ProxyExchange exchange) {
        this.exchange = exchange;
        this.route = exchange.route;
    }

    /** Takes a request slot of the route's cluster, starts the route timer and the first try. */
    void forward(boolean hasBody) {
        cluster = route.pickCluster();
        exchange.info.clusterName = cluster.name();
        if (!cluster.breaker().tryRequest()) {
            exchange.metrics.increment(
                    "wasmesh_upstream_overflow_total",
                    "tenant",
                    exchange.tenant.name(),
                    "cluster",
                    cluster.name());
            exchange.sendLocal(UpstreamFailures.overloaded());
            return;
        }
        holdsRequestSlot = true;
        RetryPolicy retries = route.config().retries();
        triesLeft = 1 + (retries == null ? 0 : retries.attempts());
        long timeout = route.config().timeout().toMillis();
        if (timeout > 0) {
            routeTimer = exchange.context.owner().setTimer(timeout, t -> routeTimedOut());
        }
        RequestBody body = exchange.body;
        if (!hasBody) {
            body.none();
            tryUpstream();
        } else if (triesLeft > 1 && !body.declaredOverLimit()) {
            body.bufferForRetries(this::tryUpstream);
        } else {
            body.stream();
            tryUpstream();
        }
    }

    private void tryUpstream() {
        if (exchange.isDone() || exchange.isEncoding()) {
            return;
        }
        triesLeft--;
        int generation = ++tryGeneration;
        UpstreamHost previous = host;
        host = cluster.pick(cluster.hashesRequests() ? hashKey() : 0, previous);
        if (host == null) {
            finishTry(-1);
            exchange.sendLocal(LocalReply.of(503, "no_healthy_upstream", "no healthy upstream\n"));
            return;
        }
        exchange.info.upstreamAddress = host.address();
        cluster.started(host);
        tryHeld = true;
        java.time.Duration perTry = perTryTimeout();
        if (perTry != null && !perTry.isZero()) {
            tryTimer =
                    exchange.context
                            .owner()
                            .setTimer(
                                    perTry.toMillis(),
                                    t -> tryFailed(generation, RetryRules.Failure.TIMEOUT));
        }
        HeaderMap requestHeaders = exchange.requestHeaders;
        RequestOptions options =
                new RequestOptions()
                        .setHost(host.host())
                        .setPort(host.port())
                        .setMethod(HttpMethod.valueOf(requestHeaders.get(":method")))
                        .setURI(requestHeaders.get(":path"));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        HeaderConversion.copyRegular(requestHeaders, headers);
        headers.set("host", requestHeaders.get(":authority"));
        if (exchange.body.mayChangeLength()) {
            headers.remove("content-length"); // filters may have changed the body
        }
        attempt =
                exchange.trace.upstream(
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
                            if (generation != tryGeneration || exchange.isDone()) {
                                if (ar.succeeded()) {
                                    ar.result().reset();
                                }
                                return;
                            }
                            if (ar.failed()) {
                                tryFailed(generation, UpstreamFailures.ofOpening(ar.cause()));
                                return;
                            }
                            upstream = ar.result();
                            upstream.response()
                                    .onComplete(
                                            r -> {
                                                if (generation != tryGeneration
                                                        || exchange.isDone()) {
                                                    return;
                                                }
                                                if (r.failed()) {
                                                    tryFailed(generation, RetryRules.Failure.RESET);
                                                } else {
                                                    onUpstreamResponse(r.result());
                                                }
                                            });
                            exchange.body.sendTo(upstream);
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

    private void tryFailed(int generation, RetryRules.Failure failure) {
        if (generation != tryGeneration || exchange.isDone() || exchange.isEncoding()) {
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
        exchange.sendLocal(UpstreamFailures.replyFor(failure));
    }

    private void onUpstreamResponse(HttpClientResponse response) {
        cancelTryTimer();
        int status = response.statusCode();
        attempt.end(status);
        if (RetryRules.retriable(route.config().retries(), null, status)
                && exchange.body.replayable()
                && retry(response, status)) {
            return;
        }
        exchange.writer.relay(response, status);
    }

    /** Retries after an answer the policy retries; false when no retry is left. */
    private boolean retry(HttpClientResponse response, int status) {
        if (triesLeft <= 0 || exchange.isDone() || !cluster.breaker().tryRetry()) {
            return false;
        }
        finishTry(status);
        response.body(); // read it to the end so the connection goes back to the pool
        scheduleRetry();
        return true;
    }

    /** Retries after a try that got no answer; false when no retry is left. */
    private boolean retry() {
        if (triesLeft <= 0
                || exchange.isDone()
                || !exchange.body.replayable()
                || !cluster.breaker().tryRetry()) {
            return false;
        }
        scheduleRetry();
        return true;
    }

    /** Waits the policy's backoff, then tries again. */
    private void scheduleRetry() {
        holdsRetrySlot = true;
        exchange.metrics.increment(
                "wasmesh_upstream_retries_total",
                "tenant",
                exchange.tenant.name(),
                "cluster",
                cluster.name());
        RetryPolicy p = route.config().retries();
        int retryNumber = (1 + p.attempts()) - triesLeft; // 1 for the first retry
        long wait = RetryRules.backoffMillis(p, retryNumber);
        if (wait == 0) {
            exchange.context.runOnContext(v -> retryNow());
        } else {
            exchange.context.owner().setTimer(wait, t -> retryNow());
        }
    }

    private void retryNow() {
        if (holdsRetrySlot) {
            holdsRetrySlot = false;
            cluster.breaker().releaseRetry();
        }
        tryUpstream();
    }

    private void routeTimedOut() {
        routeTimer = -1;
        if (exchange.isDone()) {
            return;
        }
        exchange.metrics.increment(
                "wasmesh_upstream_timeouts_total",
                "tenant",
                exchange.tenant.name(),
                "route",
                route.name());
        tryGeneration++;
        cancelTryTimer();
        if (upstream != null) {
            upstream.reset();
        }
        finishTry(-1);
        if (exchange.writer.responding()) {
            exchange.resetClient("route timeout during the response");
        } else {
            exchange.sendLocal(
                    LocalReply.of(504, "upstream_response_timeout", "upstream request timeout\n"));
        }
    }

    /** Releases the current try's endpoint with its result (once). */
    void finishTry(int status) {
        if (host != null && cluster != null && tryHeld) {
            tryHeld = false;
            cluster.finished(host, status);
        }
    }

    /** Resets the current try's upstream request (a filter ended the exchange on its answer). */
    void resetRequest() {
        upstream.reset();
    }

    /** Whatever a try in flight delivers from now on is ignored: a local reply took over. */
    void disown() {
        tryGeneration++;
    }

    /** The client went away: the try in flight is reset and counted as failed. */
    void abort() {
        tryGeneration++;
        if (upstream != null) {
            upstream.reset();
        }
        finishTry(-1);
    }

    /** Cancels the timers and gives the circuit breaker's slots back (the exchange finished). */
    void release() {
        if (routeTimer >= 0) {
            exchange.context.owner().cancelTimer(routeTimer);
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
    }

    /** Ends the last try's client span if it has not ended (a no-op when it has). */
    void endAttempt() {
        if (attempt != null) {
            attempt.fail("aborted");
        }
    }

    private void cancelTryTimer() {
        if (tryTimer >= 0) {
            exchange.context.owner().cancelTimer(tryTimer);
            tryTimer = -1;
        }
    }

    private long hashKey() {
        String header = cluster.config().hashHeader();
        String key = header == null ? null : exchange.requestHeaders.get(header);
        if (key == null) {
            io.vertx.core.net.SocketAddress client = exchange.req.remoteAddress();
            key = client == null ? "" : client.hostAddress();
        }
        return io.wasmesh.proxy.upstream.HashKeys.of(key);
    }
}

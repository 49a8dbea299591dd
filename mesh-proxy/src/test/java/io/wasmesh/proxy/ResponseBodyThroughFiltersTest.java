package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.proxy.testing.FilterCallsServer;
import io.wasmesh.proxy.testing.HoldingFilter;
import io.wasmesh.proxy.testing.HoldingFilter.Release;
import io.wasmesh.proxy.testing.RunningProxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response bodies through a filter that reads them ({@link HoldingFilter}'s response variant):
 * whatever the filter lets through, in its phases or on its own after holding it, reaches the
 * client once, in order and after the headers; and a slow client slows the upstream down instead of
 * filling the proxy.
 */
class ResponseBodyThroughFiltersTest {
    @TempDir static Path modules;

    private static FilterCallsServer calls;
    private static Vertx servers;

    @BeforeAll
    static void startCalls() {
        calls = new FilterCallsServer();
        servers = calls.vertx;
    }

    @AfterAll
    static void stopServers() {
        calls.close();
    }

    private static String yaml(Path filter, HttpServer upstream) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    limits: {maxResponseBodyBytes: %d}
                    filters: [{name: holding, module: "%s"}]
                    clusters:
                      - {name: calls, endpoints: ["127.0.0.1:%d"]}
                      - {name: backend, endpoints: ["127.0.0.1:%d"]}
                    routes:
                      - {name: download, match: {prefix: /}, cluster: backend}
                """
                .formatted(32 << 20, filter, calls.port(), upstream.actualPort());
    }

    /**
     * The filter lets the first 16 KiB through, holds what follows and lets it go on its own when
     * its {@code http_call} is answered; the upstream sends the rest only after that. The client
     * gets the upstream's headers and the whole body, each byte once and in place.
     */
    @Test
    void bodyAFilterLetsGoAfterAnHttpCallReachesTheClientOnceAndInOrder() {
        byte[] body = pattern(40 * 1024);
        int beforeRelease = 24 * 1024; // 16 KiB pass, the rest of it is held
        HttpServer upstream =
                upstream(
                        (req, resp) -> {
                            Context here = Vertx.currentContext();
                            Future<Void> released = calls.nextRelease();
                            resp.setChunked(true).putHeader("x-upstream", "yes");
                            write(resp, body, 0, beforeRelease);
                            released.onComplete(
                                    x ->
                                            here.runOnContext(
                                                    v -> {
                                                        write(
                                                                resp,
                                                                body,
                                                                beforeRelease,
                                                                body.length);
                                                        resp.end();
                                                    }));
                        });
        Path filter = HoldingFilter.writeResponse(modules, 16 * 1024, Release.ON_CALL_ANSWER);
        try (RunningProxy p = RunningProxy.start(yaml(filter, upstream))) {
            RunningProxy.Response r = p.get("shop.test", "/download");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().get("x-upstream")).isEqualTo("yes");
            assertSameBytes(r.raw(), body);
        } finally {
            RunningProxy.await(upstream.close());
        }
    }

    /**
     * The filter holds every chunk and lets what it holds go on its own every millisecond (its
     * tick), while the upstream keeps sending: body let go on a tick and the results of the phases
     * of the chunks after it reach the event loop close together. Released body must keep its place
     * before the later chunks and before the end of the response; a later phase's result that
     * overtook it would put bytes out of order or end the response without them.
     */
    @Test
    void bodyLetGoOnTicksKeepsItsPlaceAmongTheChunksThatFollow() {
        byte[] body = pattern(8 << 20);
        HttpServer upstream =
                upstream(
                        (req, resp) -> {
                            resp.setChunked(true);
                            pump(
                                    resp,
                                    body.length,
                                    (at, n) -> Buffer.buffer().appendBytes(body, (int) at, n),
                                    () -> {});
                        });
        Path filter = HoldingFilter.writeResponse(modules, 0, Release.ON_TICK);
        try (RunningProxy p = RunningProxy.start(yaml(filter, upstream))) {
            for (int i = 0; i < 5; i++) {
                RunningProxy.Response r = p.get("shop.test", "/download");
                assertThat(r.status()).isEqualTo(200);
                assertSameBytes(r.raw(), body);
            }
        } finally {
            RunningProxy.await(upstream.close());
        }
    }

    /**
     * A fast upstream, a body-reading filter that lets every chunk through and a client that reads
     * 4 chunks a millisecond at most: the upstream is slowed down to the client's pace, so when it
     * has written the whole body, the client has read all of it but what the sockets and a write
     * queue or two hold. Without backpressure the proxy reads as fast as the upstream writes and
     * holds the difference.
     */
    @Test
    void aSlowClientSlowsTheUpstreamThroughABodyReadingFilter() {
        assertSlowClientBoundsTheLead(HoldingFilter.passThroughResponse(modules));
    }

    /** As above, with a filter that holds every chunk and lets it go on its own, on its tick. */
    @Test
    void aSlowClientSlowsTheUpstreamWhenAFilterLetsBodyGoOnItsOwn() {
        assertSlowClientBoundsTheLead(HoldingFilter.writeResponse(modules, 0, Release.ON_TICK));
    }

    private static void assertSlowClientBoundsTheLead(Path filter) {
        long total = 64L << 20;
        Buffer zeros = Buffer.buffer(new byte[16 * 1024]);
        AtomicLong clientRead = new AtomicLong();
        AtomicLong readWhenAllWritten = new AtomicLong(-1);
        HttpServer upstream =
                RunningProxy.await(
                        servers.createHttpServer(
                                        new HttpServerOptions().setSendBufferSize(64 * 1024))
                                .requestHandler(
                                        req -> {
                                            HttpServerResponse resp = req.response();
                                            resp.setChunked(true);
                                            pump(
                                                    resp,
                                                    total,
                                                    (at, n) -> zeros.slice(0, n),
                                                    () -> readWhenAllWritten.set(clientRead.get()));
                                        })
                                .listen(0, "127.0.0.1"));
        try (RunningProxy p = RunningProxy.start(yaml(filter, upstream))) {
            HttpClient client =
                    p.vertx.createHttpClient(
                            new HttpClientOptions().setReceiveBufferSize(64 * 1024));
            RequestOptions get =
                    new RequestOptions()
                            .setHost("127.0.0.1")
                            .setPort(p.proxy.port("http"))
                            .setMethod(HttpMethod.GET)
                            .setURI("/download")
                            .putHeader("host", "shop.test");
            Integer status =
                    RunningProxy.await(
                            p.onContext(
                                    () ->
                                            client.request(get)
                                                    .compose(HttpClientRequest::send)
                                                    .compose(
                                                            resp ->
                                                                    readSlowly(
                                                                            p.vertx,
                                                                            resp,
                                                                            clientRead))));
            assertThat(status).isEqualTo(200);
            assertThat(clientRead.get()).isEqualTo(total);
            // What the proxy may hold: a chunk in the chain (and what the filter holds between
            // two ticks), the client response's write queue; the rest of the lead is in the
            // kernel's socket buffers on either side, which Linux sizes as it goes.
            assertThat(readWhenAllWritten.get()).isNotNegative();
            assertThat(total - readWhenAllWritten.get()).isLessThan(20L << 20);
            client.close();
        } finally {
            RunningProxy.await(upstream.close());
        }
    }

    /**
     * Reads {@code resp}'s body 4 chunks a millisecond at most, counting; its status at the end.
     */
    private static Future<Integer> readSlowly(
            Vertx vertx, HttpClientResponse resp, AtomicLong read) {
        Promise<Integer> done = Promise.promise();
        resp.pause();
        resp.handler(b -> read.addAndGet(b.length()));
        long pace = vertx.setPeriodic(1, t -> resp.fetch(4));
        resp.exceptionHandler(
                e -> {
                    vertx.cancelTimer(pace);
                    done.tryFail(e);
                });
        resp.endHandler(
                v -> {
                    vertx.cancelTimer(pace);
                    done.tryComplete(resp.statusCode());
                });
        return done.future();
    }

    /**
     * A fail-closed filter that traps on the first response chunk: the client is reset, and so is
     * the upstream's response, which the proxy had paused for that chunk. Left paused, it would
     * hold the cluster's only connection, and the next request would never reach the upstream.
     */
    @Test
    void aFilterFailingOnAResponseChunkLetsGoOfTheUpstreamConnectionToo() throws Exception {
        java.util.concurrent.CompletableFuture<Void> secondArrived =
                new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger served =
                new java.util.concurrent.atomic.AtomicInteger();
        byte[] mib = new byte[1 << 20];
        HttpServer upstream =
                upstream(
                        (req, resp) -> {
                            if (served.incrementAndGet() == 2) {
                                secondArrived.complete(null);
                            }
                            resp.setChunked(true);
                            for (int i = 0; i < 8; i++) { // more than the sockets buffer
                                resp.write(Buffer.buffer(mib));
                            }
                            resp.end();
                        });
        String config =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters:
                      - name: hostile
                        module: "%s"
                        configuration: "trap on_response_body"
                        failurePolicy: fail_closed
                    clusters:
                      - {name: backend, endpoints: ["127.0.0.1:%d"], maxConnectionsPerEndpoint: 1}
                    routes: [{cluster: backend, timeout: 30s}]
                """
                        .formatted(
                                WasmServiceProxyTest.fixture("hostile.wasm"),
                                upstream.actualPort());
        try (RunningProxy p = RunningProxy.start(config)) {
            for (int i = 0; i < 2; i++) {
                p.sendAsync(HttpMethod.GET, "shop.test", "/big", null)
                        .handle((r, e) -> null) // the client is reset: that is not the point
                        .get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
            secondArrived.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(served).hasValue(2);
        } finally {
            RunningProxy.await(upstream.close());
        }
    }

    private static HttpServer upstream(
            java.util.function.BiConsumer<HttpServerRequest, HttpServerResponse> handler) {
        return RunningProxy.await(
                servers.createHttpServer()
                        .requestHandler(req -> handler.accept(req, req.response()))
                        .listen(0, "127.0.0.1"));
    }

    /** What to write next: {@code n} bytes from offset {@code at}. */
    private interface Chunks {
        Buffer get(long at, int n);
    }

    /**
     * Writes {@code total} bytes in 16 KiB writes as fast as the response's write queue allows,
     * runs {@code whenWritten} and ends the response.
     */
    private static void pump(
            HttpServerResponse resp, long total, Chunks chunks, Runnable whenWritten) {
        pump(resp, total, new long[1], chunks, whenWritten);
    }

    private static void pump(
            HttpServerResponse resp, long total, long[] sent, Chunks chunks, Runnable whenWritten) {
        while (sent[0] < total && !resp.writeQueueFull()) {
            int n = (int) Math.min(16 * 1024, total - sent[0]);
            resp.write(chunks.get(sent[0], n));
            sent[0] += n;
        }
        if (sent[0] < total) {
            resp.drainHandler(v -> pump(resp, total, sent, chunks, whenWritten));
            return;
        }
        resp.drainHandler(null);
        whenWritten.run();
        resp.end();
    }

    private static void write(HttpServerResponse resp, byte[] body, int from, int to) {
        for (int at = from; at < to; at += 8192) {
            resp.write(Buffer.buffer().appendBytes(body, at, Math.min(8192, to - at)));
        }
    }

    /** {@code size} bytes where each 8 hold their own offset: any byte out of place shows. */
    private static byte[] pattern(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        for (long at = 0; b.remaining() >= 8; at += 8) {
            b.putLong(at);
        }
        return b.array();
    }

    private static void assertSameBytes(byte[] got, byte[] expected) {
        assertThat(Arrays.mismatch(got, expected))
                .as("first offset that differs (got %d bytes of %d)", got.length, expected.length)
                .isEqualTo(-1);
    }
}

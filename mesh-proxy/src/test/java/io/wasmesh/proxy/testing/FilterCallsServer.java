package io.wasmesh.proxy.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The target of {@link HoldingFilter}'s {@code http_call}s, on port 0: every call is answered "ok"
 * at once; the call to {@code /released}, which the filter makes once it let its held body go,
 * completes what {@link #nextRelease()} returned. Its Vert.x instance also serves the tests' own
 * upstreams.
 */
public final class FilterCallsServer implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    private final AtomicReference<Promise<Void>> release = new AtomicReference<>();
    private final HttpServer server;

    public FilterCallsServer() {
        server =
                RunningProxy.await(
                        vertx.createHttpServer()
                                .requestHandler(
                                        req -> {
                                            Promise<Void> p = release.get();
                                            if (req.path().equals("/released") && p != null) {
                                                p.tryComplete();
                                            }
                                            req.response().end("ok");
                                        })
                                .listen(0, "127.0.0.1"));
    }

    public int port() {
        return server.actualPort();
    }

    /** Completes when the filter next reports that it let its held body go. */
    public Future<Void> nextRelease() {
        Promise<Void> p = Promise.promise();
        release.set(p);
        return p.future();
    }

    @Override
    public void close() {
        RunningProxy.await(vertx.close());
    }
}

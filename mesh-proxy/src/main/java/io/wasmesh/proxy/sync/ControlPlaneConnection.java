package io.wasmesh.proxy.sync;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps one WebSocket open to one of the control-plane nodes. A failed or closed stream is reopened
 * on the next address, after a backoff of 100 ms doubling to 5 s, jittered so proxies that lost the
 * same node do not all arrive at the next one together. Pings every 10 s, and an idle timeout, find
 * a node that vanished without closing its connections. Runs on one Vert.x context.
 */
final class ControlPlaneConnection {
    private static final System.Logger LOG =
            System.getLogger(ControlPlaneConnection.class.getName());
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long PING_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final List<URI> addresses;
    private final String token;
    private final Supplier<String> hello;
    private final Consumer<String> frames;
    private final WebSocketClient client;
    private int next;
    private long backoff = MIN_BACKOFF_MS;
    private WebSocket current;
    private URI currentAddress;
    private long pingTimer = -1;
    private volatile boolean closed;

    /**
     * @param hello the first frame of every connection (what the proxy runs, read at send time)
     * @param frames every text frame the node sends, on the connection's context
     */
    ControlPlaneConnection(
            Vertx vertx,
            List<URI> addresses,
            String token,
            Supplier<String> hello,
            Consumer<String> frames) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.addresses = List.copyOf(addresses);
        this.token = token;
        this.hello = hello;
        this.frames = frames;
        this.client =
                vertx.createWebSocketClient(
                        new WebSocketClientOptions()
                                .setMaxMessageSize(64 << 20)
                                .setMaxFrameSize(1 << 20)
                                .setIdleTimeout(3 * (int) (PING_MS / 1000))
                                .setConnectTimeout(2_000));
        this.next = ThreadLocalRandom.current().nextInt(this.addresses.size());
    }

    void start() {
        context.runOnContext(v -> connect());
    }

    /** The node the stream is open to, or null. */
    URI connectedTo() {
        return current == null ? null : currentAddress;
    }

    /** Sends a frame if a stream is open; a frame lost to a closed stream is recovered by hello. */
    void send(String frame) {
        context.runOnContext(
                v -> {
                    if (current != null && !current.isClosed()) {
                        current.writeTextMessage(frame);
                    }
                });
    }

    Future<Void> close() {
        closed = true;
        Promise<Void> done = Promise.promise();
        context.runOnContext(
                v -> {
                    if (pingTimer >= 0) {
                        vertx.cancelTimer(pingTimer);
                    }
                    Future<Void> closing =
                            current == null ? Future.succeededFuture() : current.close();
                    closing.transform(ar -> client.close()).onComplete(done);
                });
        return done.future();
    }

    private void connect() {
        if (closed) {
            return;
        }
        URI address = addresses.get(next);
        next = (next + 1) % addresses.size();
        WebSocketConnectOptions options =
                new WebSocketConnectOptions()
                        .setAbsoluteURI(streamUri(address))
                        .addHeader("authorization", "Bearer " + token);
        client.connect(options)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                LOG.log(
                                        System.Logger.Level.DEBUG,
                                        "control plane {0} unreachable: {1}",
                                        address,
                                        ar.cause().getMessage());
                                retry();
                                return;
                            }
                            opened(ar.result(), address);
                        });
    }

    /** {@code http://host:port} → {@code ws://host:port/v1/proxy/stream} (https → wss). */
    static String streamUri(URI base) {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        return scheme + "://" + base.getRawAuthority() + "/v1/proxy/stream";
    }

    private void opened(WebSocket ws, URI address) {
        if (closed) {
            ws.close();
            return;
        }
        current = ws;
        currentAddress = address;
        backoff = MIN_BACKOFF_MS;
        LOG.log(System.Logger.Level.INFO, "connected to control plane {0}", address);
        ws.textMessageHandler(frames::accept);
        ws.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, "stream error: " + e));
        ws.closeHandler(
                v -> {
                    if (current == ws) {
                        current = null;
                        LOG.log(System.Logger.Level.INFO, "control plane {0} went away", address);
                        retry();
                    }
                });
        pingTimer =
                vertx.setPeriodic(
                        PING_MS,
                        t -> {
                            if (!ws.isClosed()) {
                                ws.writePing(Buffer.buffer("wasmesh"));
                            }
                        });
        ws.writeTextMessage(hello.get());
    }

    private void retry() {
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
        if (closed) {
            return;
        }
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        vertx.setTimer(Math.max(1, delay), t -> connect());
    }
}

package io.wasmesh.proxy.listener;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.wasmesh.config.HttpProtocol;
import io.wasmesh.config.ListenerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One event loop's server for a listener: deployed once per event loop so connections spread over
 * the cores. HTTP/1.1 and, as configured, h2c (prior knowledge or upgrade) or h2 over TLS (ALPN).
 */
public final class ListenerVerticle extends VerticleBase {
    private final ListenerConfig config;
    private final RequestRouter router;
    private final Consumer<HttpServer> started;

    public ListenerVerticle(
            ListenerConfig config, RequestRouter router, Consumer<HttpServer> started) {
        this.config = config;
        this.router = router;
        this.started = started;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(options(config))
                .requestHandler(router)
                .listen(config.port(), config.address())
                .onSuccess(started::accept);
    }

    static HttpServerOptions options(ListenerConfig config) {
        HttpServerOptions o =
                new HttpServerOptions()
                        .setHttp2ClearTextEnabled(config.protocols().contains(HttpProtocol.H2C))
                        .setCompressionSupported(false)
                        .setDecompressionSupported(false)
                        // The proxy terminates no WebSocket: without these Vert.x puts Netty's
                        // WebSocket extension handler in every connection's pipeline, where it
                        // inspects each request for an upgrade it will never serve.
                        .setPerFrameWebSocketCompressionSupported(false)
                        .setPerMessageWebSocketCompressionSupported(false);
        if (config.tls() != null) {
            o.setSsl(true)
                    .setKeyCertOptions(
                            new PemKeyCertOptions()
                                    .setCertPath(config.tls().certPath())
                                    .setKeyPath(config.tls().keyPath()));
            List<HttpVersion> alpn = new ArrayList<>();
            if (config.protocols().contains(HttpProtocol.H2)) {
                alpn.add(HttpVersion.HTTP_2);
            }
            alpn.add(HttpVersion.HTTP_1_1);
            o.setUseAlpn(alpn.size() > 1).setAlpnVersions(alpn);
        }
        return o;
    }
}

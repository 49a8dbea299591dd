package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.proxy.testing.ParkingFilter;
import io.wasmesh.proxy.testing.RunningProxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filter may park the request and the response at the same time: an upstream that answers before
 * the request's body ends has its response headers parked by one {@code http_call} while the end of
 * the request body is parked by another. Each resume carries on its own direction; one direction's
 * parking must not take the other's place (the response would then wait for the route's timeout).
 */
class ParkedPhasesTest {
    @TempDir Path modules;

    private final Vertx servers = Vertx.vertx();

    @AfterEach
    void stop() {
        RunningProxy.await(servers.close());
    }

    @Test
    void aResponseParkedWhileTheRequestEndIsParkedTooGoesOnWhenResumed() {
        Promise<Void> responseParked = Promise.promise();
        AtomicReference<HttpServerResponse> heldCall = new AtomicReference<>();
        // The filter's http_calls: the response's is held until the request's end is parked too.
        HttpServer calls =
                RunningProxy.await(
                        servers.createHttpServer()
                                .requestHandler(
                                        req -> {
                                            if (req.path().equals("/response-headers")) {
                                                heldCall.set(req.response());
                                                responseParked.complete();
                                            } else {
                                                req.response().end("ok");
                                                heldCall.get().end("ok");
                                            }
                                        })
                                .listen(0, "127.0.0.1"));
        // The upstream answers as soon as the request's headers arrive.
        HttpServer upstream =
                RunningProxy.await(
                        servers.createHttpServer()
                                .requestHandler(req -> req.response().end("early"))
                                .listen(0, "127.0.0.1"));
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters: [{name: parking, module: "%s"}]
                    clusters:
                      - {name: calls, endpoints: ["127.0.0.1:%d"]}
                      - {name: backend, endpoints: ["127.0.0.1:%d"]}
                    routes:
                      - {name: upload, match: {prefix: /}, cluster: backend, timeout: 60s}
                """
                        .formatted(
                                ParkingFilter.write(modules),
                                calls.actualPort(),
                                upstream.actualPort());
        try (RunningProxy p = RunningProxy.start(yaml)) {
            HttpClient client = p.vertx.createHttpClient();
            RequestOptions post =
                    new RequestOptions()
                            .setHost("127.0.0.1")
                            .setPort(p.proxy.port("http"))
                            .setMethod(HttpMethod.POST)
                            .setURI("/upload")
                            .putHeader("host", "shop.test");
            String body =
                    RunningProxy.await(
                            p.onContext(
                                    () ->
                                            client.request(post)
                                                    .compose(
                                                            req -> {
                                                                req.setChunked(true);
                                                                req.write(Buffer.buffer("part"));
                                                                // the body ends once the
                                                                // response's headers are parked
                                                                responseParked
                                                                        .future()
                                                                        .onComplete(v -> req.end());
                                                                return req.response();
                                                            })
                                                    .compose(
                                                            r -> {
                                                                assertThat(r.statusCode())
                                                                        .isEqualTo(200);
                                                                return r.body();
                                                            })
                                                    .map(Buffer::toString)));
            assertThat(body).isEqualTo("early");
            client.close();
        }
    }
}

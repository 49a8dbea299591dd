package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.transport.Transport;
import io.wasmesh.proxy.listener.NetworkTransports;
import io.wasmesh.proxy.testing.RunningProxy;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy on each network transport `wasmesh proxy --transport` offers (the rest of the suite
 * runs on NIO): a request with a 256 KiB body through a C filter to an upstream that echoes it, and
 * back. A transport the machine lacks (no io_uring in a container's seccomp profile, say) is
 * skipped with its reason.
 */
class TransportsTest {
    private static Vertx servers;
    private static HttpServer upstream;

    @BeforeAll
    static void startUpstream() {
        servers = Vertx.vertx();
        upstream =
                RunningProxy.await(
                        servers.createHttpServer()
                                .requestHandler(TransportsTest::echo)
                                .listen(0, "127.0.0.1"));
    }

    /** Answers the request's body, and the x-team header it came with. */
    private static void echo(io.vertx.core.http.HttpServerRequest req) {
        String team = String.valueOf(req.getHeader("x-team"));
        req.body().onSuccess(b -> req.response().putHeader("x-seen-team", team).end(b));
    }

    @AfterAll
    static void stopUpstream() {
        RunningProxy.await(servers.close());
    }

    static Stream<String> transports() {
        return Stream.of("nio", "epoll", "io_uring");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aRequestWithABodyGoesThroughAFilterAndBack(String name) {
        Transport transport = NetworkTransports.named(name);
        assumeTrue(
                transport.available(),
                () -> name + " is not available here: " + transport.unavailabilityCause());
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters: [{name: team, module: "%s", configuration: "add=x-team: payments"}]
                    clusters: [{name: backend, endpoints: ["127.0.0.1:%d"]}]
                    routes: [{match: {prefix: /}, cluster: backend}]
                """
                        .formatted(
                                RunningProxy.example("c/add_header.wasm"), upstream.actualPort());
        byte[] body = new byte[256 * 1024];
        Arrays.fill(body, (byte) 'w');
        try (RunningProxy p = RunningProxy.start(yaml, RunningProxy.options(), transport)) {
            assertThat(p.vertx.isNativeTransportEnabled()).isEqualTo(transport != Transport.NIO);

            RunningProxy.Response r = p.sendBytes(HttpMethod.POST, "shop.test", "/upload", body);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().get("x-seen-team")).isEqualTo("payments");
            assertThat(r.raw()).isEqualTo(body);
        }
    }
}

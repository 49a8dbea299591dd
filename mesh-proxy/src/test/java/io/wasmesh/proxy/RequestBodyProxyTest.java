package io.wasmesh.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.proxy.testing.RunningProxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies sent chunked (no {@code content-length}) to routes that retry: the proxy buffers
 * them so a retry can send them again, up to the tenant's limit (64 KiB here). Beyond it the body
 * streams on and the request is no longer retried, as Envoy's retry buffer does; a filter that
 * holds the whole body beyond the limit gets 413 (from the host, which bounds a filter's buffer).
 */
class RequestBodyProxyTest {
    private static final int LIMIT = 64 * 1024;

    @RegisterExtension
    static WireMockExtension backend =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    static String yaml(String filters, String route) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    limits: {maxRequestBodyBytes: %d}
                    filters:
                %s
                    clusters: [{name: backend, endpoints: ["127.0.0.1:%d"]}]
                    routes:
                      - name: upload
                        cluster: backend
                %s
                """
                .formatted(LIMIT, filters.indent(8), backend.getPort(), route.indent(8));
    }

    private static final String RETRIES =
            "retries: {attempts: 2, retryOn: [5xx], backoffBase: 1ms, backoffMax: 2ms}";

    /** {@code size} bytes of text whose every 16-byte line is numbered, so order shows. */
    static String body(int size) {
        StringBuilder s = new StringBuilder(size + 16);
        for (int line = 0; s.length() < size; line++) {
            s.append(String.format("%015d\n", line));
        }
        return s.substring(0, size);
    }

    @Test
    void aChunkedBodyOverTheRetryBufferStreamsToTheUpstream() {
        backend.stubFor(post("/upload").willReturn(aResponse().withStatus(201).withBody("stored")));
        String body = body(4 * LIMIT + 123);
        try (RunningProxy p = RunningProxy.start(yaml("[]", RETRIES))) {
            RunningProxy.Response r = sendChunked(p, "/upload", body);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.body()).isEqualTo("stored");
        }
        List<LoggedRequest> received = backend.findAll(postRequestedFor(urlEqualTo("/upload")));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getBodyAsString()).hasSize(body.length()).isEqualTo(body);
    }

    @Test
    void aChunkedBodyOverTheRetryBufferStreamsThroughAFilterThatReadsBodies() {
        backend.stubFor(post("/upload").willReturn(aResponse().withStatus(201).withBody("stored")));
        String reader =
                """
                - name: reader
                  module: %s
                """
                        .formatted(WasmServiceProxyTest.fixture("lifecycle.wasm"));
        String body = body(3 * LIMIT + 5);
        try (RunningProxy p = RunningProxy.start(yaml(reader, RETRIES))) {
            RunningProxy.Response r = sendChunked(p, "/upload", body);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.body()).isEqualTo("stored");
        }
        List<LoggedRequest> received = backend.findAll(postRequestedFor(urlEqualTo("/upload")));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getBodyAsString()).hasSize(body.length()).isEqualTo(body);
    }

    @Test
    void aChunkedBodyStreamsToARouteWithoutRetries() {
        backend.stubFor(post("/upload").willReturn(aResponse().withStatus(201).withBody("stored")));
        String body = body(4 * LIMIT + 123);
        try (RunningProxy p = RunningProxy.start(yaml("[]", ""))) {
            RunningProxy.Response r = sendChunked(p, "/upload", body);
            assertThat(r.status()).isEqualTo(201);
        }
        List<LoggedRequest> received = backend.findAll(postRequestedFor(urlEqualTo("/upload")));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getBodyAsString()).hasSize(body.length()).isEqualTo(body);
    }

    @Test
    void aChunkedBodyOverTheRetryBufferIsNotRetried() {
        backend.stubFor(post("/upload").willReturn(aResponse().withStatus(503).withBody("down")));
        String body = body(2 * LIMIT);
        try (RunningProxy p = RunningProxy.start(yaml("[]", RETRIES))) {
            RunningProxy.Response r = sendChunked(p, "/upload", body);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("down");
        }
        backend.verify(1, postRequestedFor(urlEqualTo("/upload")));
    }

    @Test
    void aChunkedBodyWithinTheRetryBufferIsSentAgainOnRetry() {
        backend.stubFor(
                post("/upload")
                        .inScenario("flaky")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(503))
                        .willSetStateTo("up"));
        backend.stubFor(
                post("/upload")
                        .inScenario("flaky")
                        .whenScenarioStateIs("up")
                        .willReturn(aResponse().withStatus(201).withBody("stored")));
        String body = body(LIMIT - 1);
        try (RunningProxy p = RunningProxy.start(yaml("[]", RETRIES))) {
            RunningProxy.Response r = sendChunked(p, "/upload", body);
            assertThat(r.status()).isEqualTo(201);
        }
        List<LoggedRequest> received = backend.findAll(postRequestedFor(urlEqualTo("/upload")));
        assertThat(received).hasSize(2);
        for (LoggedRequest each : received) {
            assertThat(each.getBodyAsString()).isEqualTo(body);
        }
    }

    @Test
    void aFilterThatHoldsTheWholeBodyBeyondTheLimitGets413() {
        backend.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        String rewrite =
                """
                - name: rewrite
                  module: %s
                  configuration: "from=cat\\nto=dog"
                """
                        .formatted(RunningProxy.example("c/body_rewrite.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml(rewrite, RETRIES))) {
            RunningProxy.Response r = sendChunked(p, "/upload", body(2 * LIMIT));
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).isEqualTo("request body too large for filter");
        }
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    /** POSTs {@code body} chunked, in 8 KiB writes, and waits for the whole answer. */
    private static RunningProxy.Response sendChunked(RunningProxy p, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpClient client = p.vertx.createHttpClient();
        try {
            RequestOptions options =
                    new RequestOptions()
                            .setHost("127.0.0.1")
                            .setPort(p.proxy.port("http"))
                            .setMethod(HttpMethod.POST)
                            .setURI(path)
                            .putHeader("host", "shop.test");
            return RunningProxy.await(
                    p.onContext(
                            () ->
                                    client.request(options)
                                            .compose(req -> writeChunked(req, bytes))
                                            .compose(RequestBodyProxyTest::read)));
        } finally {
            client.close();
        }
    }

    private static Future<RunningProxy.Response> read(HttpClientResponse resp) {
        return resp.body()
                .map(
                        b ->
                                new RunningProxy.Response(
                                        resp.statusCode(),
                                        resp.headers(),
                                        b.toString(),
                                        b.getBytes()));
    }

    private static Future<HttpClientResponse> writeChunked(HttpClientRequest req, byte[] bytes) {
        req.setChunked(true);
        for (int at = 0; at < bytes.length; at += 8192) {
            req.write(Buffer.buffer().appendBytes(bytes, at, Math.min(8192, bytes.length - at)));
        }
        req.end();
        return req.response();
    }
}

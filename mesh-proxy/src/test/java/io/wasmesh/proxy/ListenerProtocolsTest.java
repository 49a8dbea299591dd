package io.wasmesh.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.wasmesh.proxy.testing.Eventually;
import io.wasmesh.proxy.testing.RunningProxy;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** h2c and TLS listeners, large streamed bodies, and a shutdown that drains. */
class ListenerProtocolsTest {
    @RegisterExtension
    static WireMockExtension backend =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    static String yaml(String listenerExtra, String route) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0%s}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: ["*"]
                    clusters: [{name: backend, endpoints: ["127.0.0.1:%d"]}]
                    routes:
                      - cluster: backend
                %s
                """
                .formatted(listenerExtra, backend.getPort(), route.indent(8));
    }

    @Test
    void h2cWithPriorKnowledgeIsProxiedToAnHttp1Upstream() {
        backend.stubFor(get("/h2").willReturn(aResponse().withStatus(200).withBody("over h2c")));
        try (RunningProxy p = RunningProxy.start(yaml("", ""))) {
            HttpClient h2 =
                    p.vertx.createHttpClient(
                            new HttpClientOptions()
                                    .setProtocolVersion(HttpVersion.HTTP_2)
                                    .setHttp2ClearTextUpgrade(false));
            String[] result =
                    call(p, h2, new RequestOptions().setPort(p.proxy.port("http")).setURI("/h2"));
            assertThat(result).containsExactly("HTTP_2", "200", "over h2c");
        }
    }

    @Test
    void aTlsListenerServesHttps() {
        backend.stubFor(get("/secure").willReturn(aResponse().withStatus(200).withBody("tls")));
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        String tls =
                ", tls: {certPath: \"%s\", keyPath: \"%s\"}"
                        .formatted(cert.certificatePath(), cert.privateKeyPath());
        try (RunningProxy p = RunningProxy.start(yaml(tls, ""))) {
            HttpClient https =
                    p.vertx.createHttpClient(
                            new HttpClientOptions()
                                    .setSsl(true)
                                    .setTrustAll(true)
                                    .setVerifyHost(false));
            String[] result =
                    call(
                            p,
                            https,
                            new RequestOptions().setPort(p.proxy.port("http")).setURI("/secure"));
            assertThat(result).containsExactly("HTTP_1_1", "200", "tls");
        } finally {
            cert.delete();
        }
        backend.verify(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                                urlEqualTo("/secure"))
                        .withHeader(
                                "x-forwarded-proto",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo("https")));
    }

    @Test
    void aBodyLargerThanTheRetryBufferStreamsThroughEvenOnARetryingRoute() {
        backend.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        String body = "x".repeat(3 << 20); // the tenant's buffer limit is 1 MiB
        try (RunningProxy p = RunningProxy.start(yaml("", "retries: {attempts: 2}"))) {
            assertThat(p.send(HttpMethod.POST, "any", "/upload", body).status()).isEqualTo(200);
        }
        backend.verify(
                postRequestedFor(urlEqualTo("/upload"))
                        .withRequestBody(
                                com.github.tomakehurst.wiremock.client.WireMock.matching(
                                        "x{3145728}")));
    }

    @Test
    void aRetriedRequestSendsItsBodyAgain() {
        backend.stubFor(
                post("/order")
                        .inScenario("r")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(503))
                        .willSetStateTo("up"));
        backend.stubFor(
                post("/order")
                        .inScenario("r")
                        .whenScenarioStateIs("up")
                        .willReturn(aResponse().withStatus(201)));
        try (RunningProxy p =
                RunningProxy.start(yaml("", "retries: {attempts: 1, retryOn: [5xx]}"))) {
            assertThat(p.send(HttpMethod.POST, "any", "/order", "{\"n\":1}").status())
                    .isEqualTo(201);
        }
        backend.verify(
                2,
                postRequestedFor(urlEqualTo("/order"))
                        .withRequestBody(
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "{\"n\":1}")));
    }

    @Test
    void shutdownLetsInFlightRequestsFinishAndTurnsReadyOff() {
        backend.stubFor(
                get("/slow")
                        .willReturn(
                                aResponse().withStatus(200).withBody("done").withFixedDelay(800)));
        RunningProxy p = RunningProxy.start(yaml("", ""));
        try {
            CompletableFuture<RunningProxy.Response> inFlight =
                    p.sendAsync(HttpMethod.GET, "any", "/slow", null);
            Eventually.holds(
                    "the request is in flight",
                    () ->
                            p.admin(HttpMethod.GET, "/clusters")
                                    .body()
                                    .contains("\"activeRequests\" : 1"));
            Future<Void> draining = p.proxy.shutdown();
            assertThat(p.admin(HttpMethod.GET, "/ready").status()).isEqualTo(503);
            RunningProxy.Response r = inFlight.join();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("done");
            RunningProxy.await(draining);
        } finally {
            p.vertx.close();
        }
    }

    /** GET with {@code client}: the protocol version, status and body of the answer. */
    private static String[] call(RunningProxy p, HttpClient client, RequestOptions options) {
        options.setHost("127.0.0.1").setMethod(HttpMethod.GET);
        return RunningProxy.await(
                p.onContext(
                        () ->
                                client.request(options)
                                        .compose(req -> req.send())
                                        .compose(ListenerProtocolsTest::describe)));
    }

    private static Future<String[]> describe(HttpClientResponse resp) {
        return resp.body()
                .map(
                        b ->
                                new String[] {
                                    resp.version().name(),
                                    Integer.toString(resp.statusCode()),
                                    b.toString()
                                });
    }
}

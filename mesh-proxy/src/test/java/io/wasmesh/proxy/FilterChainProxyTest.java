package io.wasmesh.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.vertx.core.http.HttpMethod;
import io.wasmesh.proxy.testing.RunningProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** YAML → proxy → Wasm filters → a WireMock upstream, end to end over real sockets. */
class FilterChainProxyTest {
    @RegisterExtension
    static WireMockExtension backend =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    @RegisterExtension
    static WireMockExtension auth =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    static String yaml(String filters) {
        return """
                listeners:
                  - name: http
                    address: 127.0.0.1
                    port: 0
                admin:
                  address: 127.0.0.1
                  port: 0
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters:
                %s
                    clusters:
                      - name: backend
                        endpoints: ["127.0.0.1:%d"]
                      - name: auth
                        endpoints: ["127.0.0.1:%d"]
                    routes:
                      - name: all
                        match: {prefix: /}
                        cluster: backend
                """
                .formatted(filters, backend.getPort(), auth.getPort());
    }

    @Test
    void aCFilterAddsAHeaderThatTheUpstreamSees() {
        backend.stubFor(get("/hello").willReturn(aResponse().withStatus(200).withBody("hi")));
        String filters =
                """
                      - name: add-header
                        module: %s
                        configuration: "add=x-team: payments"
                """
                        .formatted(RunningProxy.example("c/add_header.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml(filters))) {
            RunningProxy.Response r =
                    p.get(
                            "shop.test",
                            "/hello",
                            "connection",
                            "keep-alive, x-hop",
                            "x-hop",
                            "secret");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hi");
            assertThat(r.headers().get("x-powered-by")).isEqualTo("wasmesh");
        }
        backend.verify(
                getRequestedFor(urlEqualTo("/hello"))
                        .withHeader("x-team", equalTo("payments"))
                        .withHeader("host", equalTo("shop.test"))
                        .withHeader("x-forwarded-for", equalTo("127.0.0.1"))
                        .withHeader("x-forwarded-proto", equalTo("http"))
                        .withHeader("x-request-id", matching("[0-9a-f-]{36}"))
                        .withHeader("x-hop", absent()));
    }

    @Test
    void anApiKeyFilterAnswers401WithoutTouchingTheUpstream() {
        backend.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200)));
        String filters =
                """
                      - name: api-key
                        module: %s
                        configuration: "key=s3cret"
                """
                        .formatted(RunningProxy.example("c/api_key.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml(filters))) {
            RunningProxy.Response denied = p.get("shop.test", "/orders", "x-api-key", "wrong");
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.headers().get("www-authenticate")).isEqualTo("ApiKey");
            backend.verify(0, anyRequestedFor(anyUrl()));

            RunningProxy.Response allowed = p.get("shop.test", "/orders", "x-api-key", "s3cret");
            assertThat(allowed.status()).isEqualTo(200);
        }
        backend.verify(1, getRequestedFor(urlEqualTo("/orders")).withHeader("x-api-key", absent()));
    }

    @Test
    void localRepliesGoBackThroughTheResponseFilters() {
        // As in Envoy: a reply made before any response exists (a filter's 401, the proxy's 503)
        // passes every filter's response phase; add_header marks every response it sees.
        backend.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200)));
        String filters =
                """
                      - name: marker
                        module: %s
                      - name: api-key
                        module: %s
                        configuration: "key=s3cret"
                """
                        .formatted(
                                RunningProxy.example("c/add_header.wasm"),
                                RunningProxy.example("c/api_key.wasm"));
        String yaml =
                yaml(filters)
                        .replace(
                                "    routes:\n",
                                "      - name: gone\n"
                                        + "        endpoints: [\"127.0.0.1:1\"]\n"
                                        + "    routes:\n"
                                        + "      - name: down\n"
                                        + "        match: {prefix: /down}\n"
                                        + "        cluster: gone\n");
        try (RunningProxy p = RunningProxy.start(yaml)) {
            RunningProxy.Response denied = p.get("shop.test", "/orders", "x-api-key", "wrong");
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.headers().get("x-powered-by")).isEqualTo("wasmesh");
            assertThat(denied.headers().get("www-authenticate")).isEqualTo("ApiKey");

            RunningProxy.Response unreachable = p.get("shop.test", "/down", "x-api-key", "s3cret");
            assertThat(unreachable.status()).isEqualTo(503);
            assertThat(unreachable.headers().get("x-powered-by")).isEqualTo("wasmesh");
            assertThat(unreachable.body()).contains("upstream connect error");
        }
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aFailClosedFilterThatTrapsAnswers503ThroughTheOthersOnce() {
        String filters =
                """
                      - name: marker
                        module: %s
                      - name: hostile
                        module: "%s"
                        configuration: "trap on_request_headers"
                        failurePolicy: fail_closed
                """
                        .formatted(
                                RunningProxy.example("c/add_header.wasm"),
                                WasmServiceProxyTest.fixture("hostile.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml(filters))) {
            RunningProxy.Response r = p.get("shop.test", "/orders");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).contains("filter hostile failed");
            assertThat(r.headers().get("x-powered-by")).isEqualTo("wasmesh");
            // its dead VM is passed over in the response phase, not failed (and counted) again
            assertThat(p.admin(HttpMethod.GET, "/metrics").body())
                    .containsPattern(
                            "wasmesh_wasm_failures_total\\{[^}]*wasmesh_plugin=\"hostile\"[^}]*\\} 1");
        }
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anHttpCallFilterAsksTheAuthServiceAndResumes() {
        backend.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("data")));
        auth.stubFor(
                get("/check")
                        .withHeader("authorization", equalTo("Bearer good"))
                        .willReturn(aResponse().withStatus(200).withHeader("x-user", "ada")));
        auth.stubFor(
                get("/check")
                        .withHeader("authorization", equalTo("Bearer bad"))
                        .willReturn(aResponse().withStatus(401).withBody("who are you?")));
        String filters =
                """
                      - name: marker
                        module: %s
                      - name: auth
                        module: %s
                        configuration: "cluster=auth\\npath=/check"
                """
                        .formatted(
                                RunningProxy.example("c/add_header.wasm"),
                                RunningProxy.example("c/http_auth.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml(filters))) {
            RunningProxy.Response ok = p.get("shop.test", "/me", "authorization", "Bearer good");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("data");

            RunningProxy.Response denied = p.get("shop.test", "/me", "authorization", "Bearer bad");
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo("who are you?");
            // made while the request was held: it still passes the marker's response phase
            assertThat(denied.headers().get("x-powered-by")).isEqualTo("wasmesh");
        }
        backend.verify(
                1, getRequestedFor(urlEqualTo("/me")).withHeader("x-auth-user", equalTo("ada")));
    }

    @Test
    void aBodyRewriterChangesTheRequestAndResponseBodies() {
        backend.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.post("/echo")
                        .willReturn(aResponse().withStatus(200).withBody("cats are cats")));
        String filters =
                """
                      - name: rewrite
                        module: %s
                        configuration: "from=cat\\nto=dog"
                """
                        .formatted(RunningProxy.example("c/body_rewrite.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml(filters))) {
            RunningProxy.Response r =
                    p.send(HttpMethod.POST, "shop.test", "/echo", "one cat, two cats");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("dogs are dogs");
        }
        backend.verify(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                urlEqualTo("/echo"))
                        .withRequestBody(equalTo("one dog, two dogs")));
    }

    @Test
    void unknownHostsAndPathsGet404() {
        try (RunningProxy p = RunningProxy.start(yaml("      []"))) {
            assertThat(p.get("other.test", "/").status()).isEqualTo(404);
        }
    }
}

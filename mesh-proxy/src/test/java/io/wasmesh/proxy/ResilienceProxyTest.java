package io.wasmesh.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.vertx.core.http.HttpMethod;
import io.wasmesh.proxy.testing.Eventually;
import io.wasmesh.proxy.testing.RunningProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, timeouts, circuit breaking, outlier ejection and health checks, shown by behaviour. */
class ResilienceProxyTest {
    @RegisterExtension
    static WireMockExtension a =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    @RegisterExtension
    static WireMockExtension b =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    static String yaml(String cluster, String route) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    clusters:
                      - name: backend
                %s
                    routes:
                      - name: all
                        cluster: backend
                %s
                """
                .formatted(cluster.indent(8), route.indent(8));
    }

    static String endpoints(WireMockExtension... servers) {
        StringBuilder s = new StringBuilder("endpoints:\n");
        for (WireMockExtension w : servers) {
            s.append("  - \"127.0.0.1:").append(w.getPort()).append("\"\n");
        }
        return s.toString();
    }

    @Test
    void aFailedTryIsRetriedAndTheClientSeesTheSuccess() {
        a.stubFor(
                get("/flaky")
                        .inScenario("flaky")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(503))
                        .willSetStateTo("recovered"));
        a.stubFor(
                get("/flaky")
                        .inScenario("flaky")
                        .whenScenarioStateIs("recovered")
                        .willReturn(aResponse().withStatus(200).withBody("ok")));
        String route = "retries: {attempts: 2, retryOn: [5xx], backoffBase: 1ms, backoffMax: 2ms}";
        try (RunningProxy p = RunningProxy.start(yaml(endpoints(a), route))) {
            RunningProxy.Response r = p.get("shop.test", "/flaky");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
            assertThat(
                            p.proxy
                                    .metrics()
                                    .value(
                                            "wasmesh_upstream_retries_total",
                                            "tenant",
                                            "shop",
                                            "cluster",
                                            "backend"))
                    .isEqualTo(1);
        }
        a.verify(2, getRequestedFor(urlEqualTo("/flaky")));
    }

    @Test
    void withoutARetryPolicyTheFailureIsPassedOn() {
        a.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
        try (RunningProxy p = RunningProxy.start(yaml(endpoints(a), ""))) {
            assertThat(p.get("shop.test", "/down").status()).isEqualTo(503);
        }
        a.verify(1, getRequestedFor(urlEqualTo("/down")));
    }

    @Test
    void aSlowUpstreamMeetsTheRouteTimeout() {
        a.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        try (RunningProxy p = RunningProxy.start(yaml(endpoints(a), "timeout: 200ms"))) {
            RunningProxy.Response r = p.get("shop.test", "/slow");
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).contains("upstream request timeout");
        }
    }

    @Test
    void theCircuitBreakerRefusesRequestsOverItsLimit() {
        a.stubFor(get("/busy").willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        String cluster =
                endpoints(a)
                        + "circuitBreaker: {maxConnections: 8, maxPendingRequests: 8, maxRequests: 1, maxRetries: 1}";
        try (RunningProxy p = RunningProxy.start(yaml(cluster, ""))) {
            CompletableFuture<RunningProxy.Response> first =
                    p.sendAsync(HttpMethod.GET, "shop.test", "/busy", null);
            Eventually.holds(
                    "the first request holds the only request slot",
                    () ->
                            p.admin(HttpMethod.GET, "/clusters")
                                    .body()
                                    .contains("\"activeRequests\" : 1"));
            RunningProxy.Response second = p.get("shop.test", "/busy");
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.headers().get("x-wasmesh-overloaded")).isEqualTo("true");
            assertThat(first.join().status()).isEqualTo(200);
        }
    }

    @Test
    void anEndpointAnswering5xxIsEjectedAndTrafficGoesToTheOther() {
        a.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(500)));
        b.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200)));
        String cluster =
                endpoints(a, b)
                        + "outlierDetection: {consecutive5xx: 2, consecutiveGatewayFailure: 100, interval: 1s,"
                        + " baseEjectionTime: 60s, maxEjectionPercent: 50}";
        try (RunningProxy p = RunningProxy.start(yaml(cluster, ""))) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(p.get("shop.test", "/x" + i).status());
            }
            // Round robin: a, b, a (second 5xx: ejected), then b only.
            assertThat(statuses.stream().filter(s -> s == 500).count()).isEqualTo(2);
            assertThat(p.admin(HttpMethod.GET, "/clusters").body()).contains("\"ejected\" : true");
        }
        a.verify(2, anyRequestedFor(anyUrl()));
        b.verify(8, anyRequestedFor(anyUrl()));
    }

    @Test
    void anEndpointFailingItsHealthCheckLeavesTheRotation() {
        a.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
        b.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
        a.stubFor(get("/work").willReturn(aResponse().withStatus(200).withBody("a")));
        b.stubFor(get("/work").willReturn(aResponse().withStatus(200).withBody("b")));
        String cluster =
                endpoints(a, b)
                        + "healthCheck: {path: /health, interval: 50ms, timeout: 1s, unhealthyThreshold: 2,"
                        + " healthyThreshold: 1}";
        try (RunningProxy p = RunningProxy.start(yaml(cluster, ""))) {
            Eventually.holds(
                    "endpoint a is marked unhealthy",
                    () ->
                            p.admin(HttpMethod.GET, "/clusters")
                                    .body()
                                    .contains("\"healthy\" : false"));
            for (int i = 0; i < 6; i++) {
                assertThat(p.get("shop.test", "/work").body()).isEqualTo("b");
            }
        }
        a.verify(0, getRequestedFor(urlEqualTo("/work")));
    }

    @Test
    void theClustersRequestTimeoutBoundsEachTry() {
        a.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        String cluster = endpoints(a) + "requestTimeout: 200ms";
        try (RunningProxy p = RunningProxy.start(yaml(cluster, "timeout: 10s"))) {
            RunningProxy.Response r = p.get("shop.test", "/slow");
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.body()).contains("upstream request timeout");
        }
    }

    @Test
    void aTenantOverItsConcurrentRequestsGets503() {
        a.stubFor(get("/busy").willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        String yaml =
                yaml(endpoints(a), "")
                        .replace(
                                "    domains: [shop.test]",
                                "    domains: [shop.test]\n    limits: {maxConcurrentRequests: 1}");
        try (RunningProxy p = RunningProxy.start(yaml)) {
            CompletableFuture<RunningProxy.Response> first =
                    p.sendAsync(HttpMethod.GET, "shop.test", "/busy", null);
            Eventually.holds(
                    "the first request is in flight",
                    () ->
                            p.admin(HttpMethod.GET, "/clusters")
                                    .body()
                                    .contains("\"activeRequests\" : 1"));
            RunningProxy.Response second = p.get("shop.test", "/busy");
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.body()).contains("too many requests in flight");
            assertThat(first.join().status()).isEqualTo(200);
            assertThat(p.get("shop.test", "/busy").status())
                    .as("the slot was given back")
                    .isEqualTo(200);
        }
    }
}

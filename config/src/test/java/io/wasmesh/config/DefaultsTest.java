package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a file leaves out, and what Java leaves {@code null}, get the same defaults. */
class DefaultsTest {

    private static final String MINIMAL =
            """
            listeners:
              - {name: http, port: 8080}
            tenants:
              - name: shop
                domains: [shop.localhost]
                filters:
                  - {name: tag, module: ../filter-sdk/examples/c/add_header.wasm}
                services:
                  - {name: hello, module: {sha256: %s}}
                routes:
                  - cluster: a
                  - name: retried
                    cluster: a
                    retries: {}
                  - redirect: {host: example.com}
                  - directResponse: {status: 204}
                  - service: hello
                clusters:
                  - name: a
                    endpoints: [a.internal:80]
                  - name: full
                    endpoints: [{host: b.internal, port: 80}]
                    outlierDetection: {}
                    healthCheck: {path: /health}
                    retryBudget: {percent: 50}
                    circuitBreaker: {maxRetries: 0}
            """
                    .formatted("ab".repeat(32));

    @Test
    void fileDefaults() throws ConfigException {
        MeshConfig config = Configs.yaml(MINIMAL);

        assertThat(config.version()).isEqualTo("0");
        assertThat(config.admin()).isEqualTo(new AdminConfig("127.0.0.1", 9901));
        ListenerConfig listener = config.listeners().get(0);
        assertThat(listener.address()).isEqualTo("0.0.0.0");
        assertThat(listener.protocols()).containsExactly(HttpProtocol.HTTP1, HttpProtocol.H2C);
        assertThat(listener.tls()).isNull();

        TenantConfig tenant = config.tenant("shop");
        assertThat(tenant.limits())
                .isEqualTo(
                        new TenantLimits(
                                256,
                                Duration.ofMillis(100),
                                1 << 20,
                                1 << 20,
                                1000,
                                16 << 20,
                                0,
                                Duration.ZERO));

        FilterConfig filter = tenant.filter("tag");
        assertThat(filter.rootId()).isEmpty();
        assertThat(filter.configuration()).isEmpty();
        assertThat(filter.phase()).isEqualTo(FilterPhase.UNSPECIFIED);
        assertThat(filter.priority()).isZero();
        assertThat(filter.failurePolicy()).isEqualTo(FailurePolicy.FAIL_CLOSED);

        ServiceConfig service = tenant.service("hello");
        assertThat(service.module()).isEqualTo(new ModuleRef(null, "ab".repeat(32)));
        assertThat(service.configuration()).isEmpty();
        assertThat(service.timeout()).isEqualTo(Duration.ofSeconds(1));

        RouteConfig route = tenant.routes().get(0);
        assertThat(route.name()).isEqualTo("route-0");
        assertThat(route.match())
                .isEqualTo(new RouteMatch(null, null, "/", null, List.of(), List.of(), List.of()));
        assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(route.retries()).isNull();
        assertThat(route.filters()).isEmpty();
        assertThat(tenant.route("retried").retries())
                .isEqualTo(
                        new RetryPolicy(
                                1,
                                List.of("connect-failure", "reset", "5xx"),
                                List.of(),
                                null,
                                Duration.ofMillis(25),
                                Duration.ofMillis(250)));
        assertThat(tenant.routes().get(2).redirect())
                .isEqualTo(new Redirect(302, null, "example.com", null, null, null));
        assertThat(tenant.routes().get(3).directResponse())
                .isEqualTo(new DirectResponse(204, "", Map.of()));

        ClusterConfig a = tenant.cluster("a");
        assertThat(a.endpoints()).containsExactly(new Endpoint("a.internal", 80, 1));
        assertThat(a.loadBalancer()).isEqualTo(LoadBalancerPolicy.ROUND_ROBIN);
        assertThat(a.hashHeader()).isNull();
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(a.requestTimeout()).isNull();
        assertThat(a.maxConnectionsPerEndpoint()).isEqualTo(64);
        assertThat(a.retryBudget()).isEqualTo(new RetryBudget(20.0, 3));
        assertThat(a.circuitBreaker()).isEqualTo(new CircuitBreaker(1024, 1024, 1024, 3));
        assertThat(a.outlierDetection()).isNull();
        assertThat(a.healthCheck()).isNull();

        ClusterConfig full = tenant.cluster("full");
        assertThat(full.endpoints()).containsExactly(new Endpoint("b.internal", 80, 1));
        assertThat(full.outlierDetection())
                .isEqualTo(
                        new OutlierDetection(
                                5, 5, Duration.ofSeconds(10), Duration.ofSeconds(30), 10));
        assertThat(full.healthCheck())
                .isEqualTo(
                        new HealthCheck(
                                "/health",
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(1),
                                3,
                                2,
                                List.of(200)));
        // A partial object keeps the defaults of the fields it leaves out, and a 0 given stays 0.
        assertThat(full.retryBudget()).isEqualTo(new RetryBudget(50, 3));
        assertThat(full.circuitBreaker()).isEqualTo(new CircuitBreaker(1024, 1024, 1024, 0));
    }

    @Test
    void javaNullsGetTheSameDefaults() throws ConfigException {
        MeshConfig loaded = Configs.yaml(MINIMAL);
        TenantConfig tenant = loaded.tenant("shop");

        assertThat(new MeshConfig(null, null, loaded.listeners(), loaded.tenants()))
                .isEqualTo(loaded);
        assertThat(new ListenerConfig("http", null, 8080, null, null))
                .isEqualTo(loaded.listeners().get(0));
        assertThat(
                        new FilterConfig(
                                "tag", tenant.filter("tag").module(), null, null, null, 0, null))
                .isEqualTo(tenant.filter("tag"));
        assertThat(
                        new ServiceConfig(
                                "hello",
                                new ModuleRef(null, "ab".repeat(32)),
                                null,
                                null,
                                null,
                                null))
                .isEqualTo(tenant.service("hello"));
        assertThat(
                        new RouteConfig(null, null, "a", null, null, null, null, null, null, null)
                                .withName("route-0"))
                .isEqualTo(tenant.routes().get(0));
        assertThat(new RetryPolicy(1, null, null, null, null, null))
                .isEqualTo(tenant.route("retried").retries());
        assertThat(new Redirect(0, null, "example.com", null, null, null))
                .isEqualTo(tenant.routes().get(2).redirect());
        assertThat(new DirectResponse(204, null, null))
                .isEqualTo(tenant.routes().get(3).directResponse());
        assertThat(
                        new ClusterConfig(
                                "a",
                                List.of(Endpoint.of("a.internal", 80)),
                                null,
                                null,
                                null,
                                null,
                                0,
                                null,
                                null,
                                null,
                                null,
                                false,
                                false))
                .isEqualTo(tenant.cluster("a"));
        assertThat(new OutlierDetection(0, 0, null, null, 0))
                .isEqualTo(tenant.cluster("full").outlierDetection());
        assertThat(new HealthCheck("/health", null, null, 0, 0, null))
                .isEqualTo(tenant.cluster("full").healthCheck());
        assertThat(new TenantLimits(0, null, 1 << 20, 1 << 20, 0, 16 << 20, 0, null))
                .isEqualTo(TenantLimits.DEFAULT);
    }

    @Test
    void aTenantNamesItsUnnamedRoutesByIndex() {
        RouteConfig unnamed =
                new RouteConfig(null, null, "a", null, null, null, null, null, null, null);
        RouteConfig named = unnamed.withName("api");

        TenantConfig tenant =
                new TenantConfig(
                        "t", List.of("T.example"), null, null, List.of(named, unnamed), null, null);

        assertThat(tenant.routes()).extracting(RouteConfig::name).containsExactly("api", "route-1");
        assertThat(tenant.domains()).containsExactly("t.example");
        assertThat(tenant.limits()).isEqualTo(TenantLimits.DEFAULT);
    }

    @Test
    void recordsCopyTheirCollections() {
        List<String> methods = new java.util.ArrayList<>(List.of("get"));
        RouteMatch match = new RouteMatch(null, "/x", null, null, methods, null, null);

        methods.add("post");

        assertThat(match.methods()).containsExactly("GET");
        assertThat(match.prefix()).isNull();
        assertThat(match.pathIsDefault()).isFalse();
    }
}

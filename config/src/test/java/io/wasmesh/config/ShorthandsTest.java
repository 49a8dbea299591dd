package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each shorthand means the same as its long form. */
class ShorthandsTest {

    private static MeshConfig tenantWith(String tenantBody) throws ConfigException {
        return Configs.yaml(
                """
                listeners: [{name: http, port: 8080}]
                tenants:
                  - name: t
                    domains: [t.test]
                """
                        + tenantBody.indent(4));
    }

    @Test
    void moduleAsAPlainStringIsItsPath() throws ConfigException {
        MeshConfig shorthand =
                tenantWith(
                        """
                        filters: [{name: f, module: ../filter-sdk/examples/c/add_header.wasm}]
                        """);
        MeshConfig longForm =
                tenantWith(
                        """
                        filters: [{name: f, module: {path: ../filter-sdk/examples/c/add_header.wasm}}]
                        """);

        assertThat(shorthand).isEqualTo(longForm);
        assertThat(shorthand.tenant("t").filter("f").module().sha256()).isNull();
    }

    @Test
    void moduleAsASha256StringIsItsDigest() throws ConfigException {
        String digest = "0123456789abcdef".repeat(4);
        MeshConfig shorthand =
                tenantWith("filters: [{name: f, module: sha256:%s}]".formatted(digest));
        MeshConfig longForm =
                tenantWith("filters: [{name: f, module: {sha256: \"%s\"}}]".formatted(digest));

        assertThat(shorthand).isEqualTo(longForm);
        assertThat(shorthand.tenant("t").filter("f").module())
                .isEqualTo(ModuleRef.ofSha256(digest));
    }

    @Test
    void weightedClusterAsAPlainStringWeighsOne() throws ConfigException {
        MeshConfig config =
                tenantWith(
                        """
                        routes: [{weightedClusters: [a, {name: b, weight: 0}, {name: a}]}]
                        clusters: [{name: a, endpoints: ["a:1"]}, {name: b, endpoints: ["b:1"]}]
                        """);

        assertThat(config.tenant("t").routes().get(0).weightedClusters())
                .containsExactly(
                        new WeightedCluster("a", 1),
                        new WeightedCluster("b", 0),
                        new WeightedCluster("a", 1));
    }

    @Test
    void clusterActionIsOneClusterOfWeightOne() throws ConfigException {
        MeshConfig config =
                tenantWith(
                        """
                        routes: [{cluster: a}, {service: s}]
                        clusters: [{name: a, endpoints: ["a:1"]}]
                        services: [{name: s, module: ../filter-sdk/examples/c/add_header.wasm}]
                        """);

        List<RouteConfig> routes = config.tenant("t").routes();
        assertThat(routes.get(0).action())
                .isEqualTo(new RouteAction.ToClusters(List.of(WeightedCluster.of("a"))));
        assertThat(routes.get(1).action()).isEqualTo(new RouteAction.ToService("s"));
    }

    @Test
    void endpointAsHostPort() throws ConfigException {
        MeshConfig config =
                tenantWith(
                        """
                        routes: [{cluster: a}]
                        clusters:
                          - name: a
                            endpoints: ["10.0.0.1:8080", "[::1]:9090", "api.internal:80", {host: "::2", port: 1, weight: 7}]
                        """);

        assertThat(config.tenant("t").cluster("a").endpoints())
                .containsExactly(
                        Endpoint.of("10.0.0.1", 8080),
                        Endpoint.of("::1", 9090),
                        Endpoint.of("api.internal", 80),
                        new Endpoint("::2", 1, 7));
    }

    @Test
    void configurationGivenAsAnObjectOrArrayBecomesCompactJson() throws ConfigException {
        MeshConfig config =
                tenantWith(
                        """
                        filters:
                          - name: f
                            module: ../filter-sdk/examples/c/add_header.wasm
                            configuration:
                              headers:
                                x-a: "1"
                              limit: 10
                              ratio: 0.5
                              on: true
                          - name: g
                            module: ../filter-sdk/examples/c/add_header.wasm
                            configuration: [1, two]
                          - name: h
                            module: ../filter-sdk/examples/c/add_header.wasm
                            configuration: "{\\"kept\\": \\"as text\\"}"
                        routes:
                          - cluster: a
                            filters:
                              f: {configuration: {limit: 1}}
                              g: {disabled: true}
                        clusters: [{name: a, endpoints: ["a:1"]}]
                        """);

        TenantConfig t = config.tenant("t");
        assertThat(t.filter("f").configuration())
                .isEqualTo("{\"headers\":{\"x-a\":\"1\"},\"limit\":10,\"ratio\":0.5,\"on\":true}");
        assertThat(t.filter("g").configuration()).isEqualTo("[1,\"two\"]");
        assertThat(t.filter("h").configuration()).isEqualTo("{\"kept\": \"as text\"}");
        assertThat(t.routes().get(0).filters())
                .isEqualTo(
                        Map.of(
                                "f",
                                new FilterOverride(null, "{\"limit\":1}"),
                                "g",
                                new FilterOverride(true, null)));
    }
}

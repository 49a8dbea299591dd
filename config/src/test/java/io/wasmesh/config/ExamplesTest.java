package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {

    /** Tenant documents are named {@code *.tenant.yaml}; the other examples are mesh files. */
    private static final String TENANT_DOCUMENT = ".tenant.yaml";

    static Stream<Path> examples() throws IOException {
        List<Path> files = files().stream().filter(f -> !isTenantDocument(f)).toList();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains("minimal.yaml", "mesh.yaml");
        return files.stream();
    }

    static Stream<Path> tenantDocuments() throws IOException {
        List<Path> files = files().stream().filter(ExamplesTest::isTenantDocument).toList();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("shop.tenant.yaml");
        return files.stream();
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(Configs.EXAMPLES)) {
            return list.sorted().toList();
        }
    }

    private static boolean isTenantDocument(Path file) {
        return file.getFileName().toString().endsWith(TENANT_DOCUMENT);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleLoads(Path example) throws ConfigException {
        MeshConfig config = ConfigLoader.load(example);

        assertThat(config.listeners()).isNotEmpty();
        assertThat(config.tenants()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleNamesTheSchemaForEditors(Path example) throws IOException {
        assertThat(Files.readAllLines(example).get(0))
                .isEqualTo("# yaml-language-server: $schema=../schema/wasmesh-config.schema.json");
    }

    @ParameterizedTest
    @MethodSource("tenantDocuments")
    void everyTenantDocumentLoadsAndNamesItsSchema(Path example) throws Exception {
        TenantDocument document =
                ConfigLoader.parseTenantDocument(
                        Files.readString(example), example.toString(), Format.YAML);

        assertThat(document.routes()).isNotEmpty();
        assertThat(Files.readAllLines(example).get(0))
                .isEqualTo("# yaml-language-server: $schema=../schema/wasmesh-tenant.schema.json");
    }

    @Test
    void theShopDocumentIsTheShopTenantOfTheMeshByDigest() throws Exception {
        TenantConfig shop = ConfigLoader.load(Configs.EXAMPLES.resolve("mesh.yaml")).tenant("shop");
        TenantDocument document =
                ConfigLoader.parseTenantDocument(
                        Files.readString(Configs.EXAMPLES.resolve("shop.tenant.yaml")),
                        "shop.tenant.yaml",
                        Format.YAML);

        assertThat(document.toTenant(shop.name(), shop.domains(), shop.limits()))
                .isEqualTo(TenantJsonTest.byDigest(shop));
        assertThat(document.moduleDigests())
                .containsExactly(
                        "0af2cf3256835375b4cb9cda38e86fb35e2ca93b41da9b65d25cb6df4733b879",
                        "d3243d6a321ef63fb8cd87fe0a0312df034f97586ce7c2b2bb153102314c586c");
    }

    @Test
    void minimalSendsEveryRequestToOneCluster() throws ConfigException {
        MeshConfig config = ConfigLoader.load(Configs.EXAMPLES.resolve("minimal.yaml"));

        TenantConfig tenant = config.tenant("default");
        assertThat(tenant.domains()).containsExactly("*");
        RouteConfig route = tenant.routes().get(0);
        assertThat(route.match().pathIsDefault()).isTrue();
        assertThat(route.action())
                .isEqualTo(new RouteAction.ToClusters(List.of(new WeightedCluster("backend", 1))));
        assertThat(tenant.cluster("backend").endpoints())
                .containsExactly(Endpoint.of("127.0.0.1", 9000));
    }

    @Test
    void meshHasTwoTenantsWithFiltersAndEveryKindOfAction() throws ConfigException {
        MeshConfig config = ConfigLoader.load(Configs.EXAMPLES.resolve("mesh.yaml"));

        assertThat(config.tenants()).extracting(TenantConfig::name).containsExactly("shop", "blog");
        TenantConfig shop = config.tenant("shop");
        assertThat(shop.domains()).containsExactly("shop.localhost", "*.shop.test");
        assertThat(config.tenant("blog").domains()).containsExactly("blog.localhost");

        Path filters = Configs.MODULE_DIR.getParent().resolve("filter-sdk/examples/c");
        FilterConfig apiKey = shop.filter("api-key");
        assertThat(apiKey.module().path()).isEqualTo(filters.resolve("api_key.wasm").toString());
        assertThat(apiKey.configuration())
                .isEqualTo("key=s3cret-shop-key\nkey=rotated-shop-key\nheader=x-api-key\n");
        assertThat(apiKey.phase()).isEqualTo(FilterPhase.AUTHN);
        assertThat(shop.filter("add-header").module().path())
                .isEqualTo(filters.resolve("add_header.wasm").toString());

        assertThat(shop.routes())
                .extracting(r -> r.action().getClass().getSimpleName())
                .containsExactly(
                        "ToClusters", "ToClusters", "ToClusters", "DirectResponse", "Redirect");
        assertThat(shop.route("api-read").action())
                .isEqualTo(
                        new RouteAction.ToClusters(
                                List.of(
                                        new WeightedCluster("api-v1", 90),
                                        new WeightedCluster("api-v2", 10))));
        assertThat(shop.route("api-read").retries().perTryTimeout())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(shop.route("storefront").filters().get("api-key"))
                .isEqualTo(new FilterOverride(true, null));

        ClusterConfig v1 = shop.cluster("api-v1");
        assertThat(v1.endpoints())
                .containsExactly(
                        Endpoint.of("127.0.0.1", 9101), new Endpoint("127.0.0.1", 9102, 2));
        assertThat(v1.loadBalancer()).isEqualTo(LoadBalancerPolicy.RING_HASH);
        assertThat(v1.hashHeader()).isEqualTo("x-user-id");
        assertThat(v1.retryBudget()).isEqualTo(new RetryBudget(25, 5));
        assertThat(v1.circuitBreaker()).isEqualTo(new CircuitBreaker(256, 128, 512, 8));
        assertThat(v1.outlierDetection())
                .isEqualTo(
                        new OutlierDetection(
                                3, 3, Duration.ofSeconds(5), Duration.ofSeconds(15), 50));
        assertThat(v1.healthCheck())
                .isEqualTo(
                        new HealthCheck(
                                "/health",
                                Duration.ofSeconds(2),
                                Duration.ofMillis(500),
                                2,
                                1,
                                List.of(200, 204)));
    }
}

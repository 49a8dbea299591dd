package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tenant object on its own, as the control plane pushes it and a proxy keeps it: {@link
 * TenantConfig#toJson()} and {@link ConfigLoader#parseTenant} are each other's inverse.
 */
class TenantJsonTest {

    private static final String API_KEY_SHA256 =
            "d3243d6a321ef63fb8cd87fe0a0312df034f97586ce7c2b2bb153102314c586c";
    private static final String ADD_HEADER_SHA256 =
            "0af2cf3256835375b4cb9cda38e86fb35e2ca93b41da9b65d25cb6df4733b879";

    private static TenantConfig shop() throws ConfigException {
        return ConfigLoader.load(Configs.EXAMPLES.resolve("mesh.yaml")).tenant("shop");
    }

    static Stream<TenantConfig> exampleTenants() throws ConfigException {
        return ConfigLoader.load(Configs.EXAMPLES.resolve("mesh.yaml")).tenants().stream();
    }

    /** The tenant with each module replaced, as the control plane or a proxy rewrites them. */
    private static TenantConfig withModules(TenantConfig t, UnaryOperator<ModuleRef> module) {
        return new TenantConfig(
                t.name(),
                t.domains(),
                t.limits(),
                t.filters().stream()
                        .map(
                                f ->
                                        new FilterConfig(
                                                f.name(),
                                                module.apply(f.module()),
                                                f.rootId(),
                                                f.configuration(),
                                                f.phase(),
                                                f.priority(),
                                                f.failurePolicy()))
                        .toList(),
                t.routes(),
                t.clusters(),
                t.services().stream()
                        .map(
                                s ->
                                        new ServiceConfig(
                                                s.name(),
                                                module.apply(s.module()),
                                                s.configuration(),
                                                s.timeout(),
                                                s.environment(),
                                                s.rootId()))
                        .toList());
    }

    private static ModuleRef digestOf(ModuleRef module) {
        return ModuleRef.ofSha256(
                module.path().endsWith("api_key.wasm") ? API_KEY_SHA256 : ADD_HEADER_SHA256);
    }

    /** An example tenant with its modules by digest only, as the control plane pushes it. */
    static TenantConfig byDigest(TenantConfig tenant) {
        return withModules(tenant, TenantJsonTest::digestOf);
    }

    private static List<String> errors(String json) {
        return ConfigLoaderErrors.of(() -> ConfigLoader.parseTenant(json, "tenant.json"));
    }

    @ParameterizedTest
    @MethodSource("exampleTenants")
    void everyExampleTenantLoadsBackFromItsJson(TenantConfig tenant) throws ConfigException {
        String json = tenant.toJson();

        TenantConfig back = ConfigLoader.parseTenant(json, "tenant.json");

        assertThat(back).isEqualTo(tenant);
        assertThat(back.toJson()).isEqualTo(json);
    }

    @Test
    void theRichestTenantByDigestLoadsBack() throws ConfigException {
        TenantConfig byDigest = byDigest(shop());

        assertThat(byDigest.filter("api-key").module())
                .isEqualTo(new ModuleRef(null, API_KEY_SHA256));
        assertThat(ConfigLoader.parseTenant(byDigest.toJson(), "pushed.json")).isEqualTo(byDigest);
    }

    @Test
    void theRichestTenantByPathAndDigestLoadsBack() throws ConfigException {
        TenantConfig both = withModules(shop(), m -> new ModuleRef(m.path(), digestOf(m).sha256()));

        assertThat(ConfigLoader.parseTenant(both.toJson(), "kept.json")).isEqualTo(both);
    }

    @Test
    void limitsWithDurationsLoadBack() throws ConfigException {
        TenantLimits limits =
                new TenantLimits(
                        1024,
                        Duration.ofNanos(1_500_000),
                        0,
                        5,
                        7,
                        1,
                        3,
                        Duration.ofMillis(250).plusNanos(1));
        TenantConfig tenant =
                new TenantConfig("t", List.of("t.test"), limits, null, null, null, null);

        assertThat(ConfigLoader.parseTenant(tenant.toJson(), "t.json")).isEqualTo(tenant);
        assertThat(shop().toJson()).contains("\"callDeadline\" : \"50ms\"");
    }

    @Test
    void theJsonIsStableAndHasNoNulls() throws ConfigException {
        TenantConfig tenant = ConfigLoader.parseTenant(shop().toJson(), "a.json");

        assertThat(tenant.toJson()).isEqualTo(shop().toJson()).doesNotContain("null");
    }

    @Test
    void shorthandsAreAcceptedToo() throws ConfigException {
        String json =
                """
                {"name": "t", "domains": ["T.test"],
                 "filters": [{"name": "f", "module": "sha256:%s"}],
                 "routes": [{"cluster": "c"}],
                 "clusters": [{"name": "c", "endpoints": ["c:80"]}]}
                """
                        .formatted(ADD_HEADER_SHA256);

        TenantConfig tenant = ConfigLoader.parseTenant(json, "t.json");

        assertThat(tenant.domains()).containsExactly("t.test");
        assertThat(tenant.filter("f").module()).isEqualTo(ModuleRef.ofSha256(ADD_HEADER_SHA256));
        assertThat(tenant.route("route-0").cluster()).isEqualTo("c");
        assertThat(tenant.limits()).isEqualTo(TenantLimits.DEFAULT);
    }

    @Test
    void aTenantIsCheckedLikeOneOfAMeshFile() {
        assertThat(
                        errors(
                                """
                                {"name": "Shop", "domains": ["a.test", "A.test"], "limit": {},
                                 "filters": [{"name": "f", "module": "filters/f.wasm"},
                                             {"name": "g", "module": {}},
                                             {"name": "h", "module": {"path": "/m/h.wasm"}}],
                                 "routes": [{"cluster": "nope"}]}
                                """))
                .containsExactly(
                        "tenant.json:1:10: name: must be a DNS label: lower-case letters, digits"
                                + " and '-', starting and ending with a letter or digit, at most 63"
                                + " characters",
                        "tenant.json:1:40: domains[1]: duplicate domain 'a.test'",
                        "tenant.json:1:51: limit: unknown field 'limit' (did you mean 'limits'?)",
                        "tenant.json:2:38: filters[0].module: must be an absolute path (a tenant"
                                + " object has no directory to resolve it against)",
                        "tenant.json:3:38: filters[1].module: at least one of path, sha256 is"
                                + " required",
                        "tenant.json:5:25: routes[0].cluster: unknown cluster 'nope' (tenant"
                                + " 'Shop' has none)");
    }

    @Test
    void nameAndDomainsAreRequired() {
        assertThat(errors("{}"))
                .containsExactly(
                        "tenant.json:1:1: name: required field is missing",
                        "tenant.json:1:1: domains: required field is missing");
    }

    @Test
    void onlyJson() {
        assertThat(errors("name: t\ndomains: [t.test]\n"))
                .singleElement()
                .asString()
                .startsWith("tenant.json:1:1: Unrecognized token 'name'");
    }
}

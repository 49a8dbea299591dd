package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a tenant applies through the control plane, and the tenant it makes. */
class TenantDocumentTest {

    static final String AUTH = "a".repeat(64);
    static final String TAG = "b".repeat(64);
    static final String HELLO = "c".repeat(64);

    private static final String YAML =
            """
            # yaml-language-server: $schema=../schema/wasmesh-tenant.schema.json
            filters:
              - name: auth
                module: sha256:%s
                phase: authn
                configuration: {keys: [k1]}
              - name: tag
                module: {sha256: %s}
            services:
              - name: hello
                module: sha256:%s
                timeout: 250ms
            routes:
              - name: api
                match: {prefix: /api/}
                weightedClusters: [v1, {name: v2, weight: 3}]
                retries: {attempts: 2}
              - match: {path: /hello}
                service: hello
                filters: {auth: {disabled: true}}
            clusters:
              - name: v1
                endpoints: ["10.0.0.1:80"]
              - name: v2
                endpoints: ["10.0.0.2:80"]
            """
                    .formatted(AUTH, TAG, HELLO);

    static TenantDocument yaml(String text) throws ConfigException {
        return ConfigLoader.parseTenantDocument(text, "doc.yaml", Format.YAML);
    }

    @Test
    void aDocumentBecomesTheTenantWithTheOperatorsSettings() throws ConfigException {
        TenantDocument document = yaml(YAML);
        TenantLimits limits =
                new TenantLimits(64, Duration.ofMillis(20), 0, 0, 10, 0, 1, Duration.ofMillis(200));

        TenantConfig tenant = document.toTenant("shop", List.of("Shop.Test"), limits);

        assertThat(tenant.name()).isEqualTo("shop");
        assertThat(tenant.domains()).containsExactly("shop.test");
        assertThat(tenant.limits()).isEqualTo(limits);
        assertThat(tenant.filters()).isEqualTo(document.filters());
        assertThat(tenant.routes()).isEqualTo(document.routes());
        assertThat(tenant.clusters()).isEqualTo(document.clusters());
        assertThat(tenant.services()).isEqualTo(document.services());

        assertThat(tenant.filter("auth").module()).isEqualTo(ModuleRef.ofSha256(AUTH));
        assertThat(tenant.filter("auth").configuration()).isEqualTo("{\"keys\":[\"k1\"]}");
        assertThat(tenant.filter("auth").phase()).isEqualTo(FilterPhase.AUTHN);
        assertThat(tenant.filter("tag").module()).isEqualTo(new ModuleRef(null, TAG));
        assertThat(tenant.service("hello").timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(tenant.routes()).extracting(RouteConfig::name).containsExactly("api", "route-1");
        assertThat(tenant.route("api").action())
                .isEqualTo(
                        new RouteAction.ToClusters(
                                List.of(
                                        new WeightedCluster("v1", 1),
                                        new WeightedCluster("v2", 3))));
        assertThat(tenant.route("route-1").filters().get("auth"))
                .isEqualTo(new FilterOverride(true, null));
        assertThat(tenant.cluster("v2").endpoints()).containsExactly(Endpoint.of("10.0.0.2", 80));
    }

    @Test
    void theTenantLoadsBackFromItsJson() throws ConfigException {
        TenantConfig tenant = yaml(YAML).toTenant("shop", List.of("shop.test"), null);

        assertThat(ConfigLoader.parseTenant(tenant.toJson(), "pushed.json")).isEqualTo(tenant);
    }

    @Test
    void moduleDigestsAreEveryModuleOnceSorted() throws ConfigException {
        String twice =
                """
                filters: [{name: a, module: "sha256:%s"}, {name: b, module: {sha256: %s}}]
                services: [{name: s, module: {sha256: %s}}]
                """
                        .formatted(HELLO, AUTH, HELLO);

        assertThat(yaml(YAML).moduleDigests()).containsExactly(AUTH, TAG, HELLO);
        assertThat(yaml(twice).moduleDigests()).containsExactly(AUTH, HELLO);
    }

    @Test
    void moduleDigestsAreLowerCaseWhateverJavaGave() {
        FilterConfig filter =
                new FilterConfig(
                        "f", ModuleRef.ofSha256(AUTH.toUpperCase()), null, null, null, 0, null);

        assertThat(new TenantDocument(List.of(filter), null, null, null).moduleDigests())
                .containsExactly(AUTH);
    }

    @Test
    void everyFieldIsOptional() throws ConfigException {
        TenantDocument empty = yaml("{}");

        assertThat(empty).isEqualTo(TenantDocument.EMPTY);
        assertThat(empty.moduleDigests()).isEmpty();
        assertThat(empty.toTenant("t", List.of("t.test"), null))
                .isEqualTo(
                        new TenantConfig(
                                "t",
                                List.of("t.test"),
                                TenantLimits.DEFAULT,
                                null,
                                null,
                                null,
                                null));
    }

    @Test
    void yamlAndJsonAreTheSameDocument() throws ConfigException {
        String json =
                """
                {
                  "$schema": "../schema/wasmesh-tenant.schema.json",
                  "filters": [{"name": "tag", "module": "sha256:%s"}],
                  "routes": [{"cluster": "web"}],
                  "clusters": [{"name": "web", "endpoints": ["web:80"]}]
                }
                """
                        .formatted(TAG);
        String yaml =
                """
                $schema: ../schema/wasmesh-tenant.schema.json
                filters: [{name: tag, module: {sha256: %s}}]
                routes: [{cluster: web}]
                clusters: [{name: web, endpoints: [{host: web, port: 80}]}]
                """
                        .formatted(TAG);

        assertThat(ConfigLoader.parseTenantDocument(json, "doc.json", Format.JSON))
                .isEqualTo(yaml(yaml));
    }

    @Test
    void theListsAreImmutable() throws ConfigException {
        TenantDocument document = yaml(YAML);

        assertThat(document.filters()).isUnmodifiable();
        assertThat(document.routes()).isUnmodifiable();
        assertThat(document.clusters()).isUnmodifiable();
        assertThat(document.services()).isUnmodifiable();
        assertThat(document.moduleDigests()).isUnmodifiable();
    }
}

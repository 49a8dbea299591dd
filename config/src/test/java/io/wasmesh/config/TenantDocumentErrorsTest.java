package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant document is checked like a tenant of a mesh file, its errors placed in itself. */
class TenantDocumentErrorsTest {

    private static final String AUTH = TenantDocumentTest.AUTH;

    private static List<String> errors(String yaml) {
        return ConfigLoaderErrors.of(() -> TenantDocumentTest.yaml(yaml));
    }

    @Test
    void unknownTopLevelFieldWithASuggestion() {
        assertThat(
                        errors(
                                """
                                route:
                                  - cluster: web
                                clusters: [{name: web, endpoints: ["web:80"]}]
                                colour: red
                                """))
                .containsExactly(
                        "doc.yaml:1:1: route: unknown field 'route' (did you mean 'routes'?)",
                        "doc.yaml:4:1: colour: unknown field 'colour'");
    }

    @Test
    void nameDomainsAndLimitsBelongToTheOperator() {
        assertThat(
                        errors(
                                """
                                name: shop
                                domains: [shop.test]
                                limits: {maxMemoryPages: 1024}
                                routes: [{directResponse: {status: 204}}]
                                """))
                .containsExactly(
                        "doc.yaml:1:1: name: belongs to the operator: the tenant is named when it is"
                                + " created (POST /v1/tenants), and the URL says which tenant a"
                                + " document is for",
                        "doc.yaml:2:1: domains: belongs to the operator: domains are set on the"
                                + " tenant (POST or PATCH /v1/tenants/{t}), not in its document",
                        "doc.yaml:3:1: limits: belongs to the operator: limits are set on the"
                                + " tenant (POST or PATCH /v1/tenants/{t}), not in its document");
    }

    @Test
    void anOperatorFieldIsNotSuggestedForAMisspeltOne() {
        assertThat(errors("nme: shop\n")).containsExactly("doc.yaml:1:1: nme: unknown field 'nme'");
    }

    @Test
    void modulesByPathAreRefused() {
        String byDigest = ", then give {sha256: <digest>} or sha256:<digest>";
        assertThat(
                        errors(
                                """
                                filters:
                                  - name: a
                                    module: filters/a.wasm
                                  - name: b
                                    module: {path: filters/b.wasm, sha256: %s}
                                services:
                                  - name: s
                                    module:
                                      path: s.wasm
                                """
                                        .formatted(AUTH)))
                .containsExactly(
                        "doc.yaml:3:13: filters[0].module: modules are referenced by sha256 in the"
                                + " control plane: push the file first with 'wasmesh module push'"
                                + byDigest,
                        "doc.yaml:5:14: filters[1].module.path: modules are referenced by sha256 in"
                                + " the control plane: push the file first with 'wasmesh module"
                                + " push'"
                                + byDigest,
                        "doc.yaml:9:7: services[0].module.path: modules are referenced by sha256 in"
                                + " the control plane: push the file first with 'wasmesh module"
                                + " push'"
                                + byDigest);
    }

    @Test
    void badDigests() {
        assertThat(
                        errors(
                                """
                                filters:
                                  - {name: short, module: "sha256:abc"}
                                  - {name: upper, module: {sha256: %s}}
                                  - {name: none, module: {}}
                                """
                                        .formatted(AUTH.toUpperCase())))
                .containsExactly(
                        "doc.yaml:2:27: filters[0].module: must be sha256: and 64 lower-case hex"
                                + " digits",
                        "doc.yaml:3:36: filters[1].module.sha256: must be a sha256 digest: 64"
                                + " lower-case hex digits",
                        "doc.yaml:4:26: filters[2].module.sha256: required field is missing");
    }

    @Test
    void referencesAreToTheDocumentsOwnNames() {
        assertThat(
                        errors(
                                """
                                routes:
                                  - cluster: bakend
                                  - service: hello
                                    filters: {auth: {disabled: true}}
                                clusters: [{name: backend, endpoints: ["b:80"]}]
                                """))
                .containsExactly(
                        "doc.yaml:2:14: routes[0].cluster: unknown cluster 'bakend' (did you mean"
                                + " 'backend'?)",
                        "doc.yaml:3:14: routes[1].service: unknown service 'hello' (the document"
                                + " has none)",
                        "doc.yaml:4:15: routes[1].filters.auth: unknown filter 'auth' (the document"
                                + " has none)");
    }

    @Test
    void everyErrorAtOnceInDocumentOrder() {
        assertThat(
                        errors(
                                """
                                filters:
                                  - {name: auth, module: "sha256:%s"}
                                  - {name: auth, module: "sha256:%s"}
                                routes:
                                  - name: api
                                    match: {prefix: api, regex: "/v[0-9"}
                                    cluster: web
                                    directResponse: {status: 200}
                                  - name: api
                                    match:
                                      headers: [{name: x-user, regex: "(", present: true}]
                                    cluster: db
                                clusters:
                                  - {name: web, endpoints: ["web:80"], loadBalancer: ring_hash}
                                  - {name: web2, endpoints: ["web:0"], connectTimeout: 0s}
                                """
                                        .formatted(AUTH, AUTH)))
                .containsExactly(
                        "doc.yaml:3:12: filters[1].name: duplicate filter name 'auth' (first used by"
                                + " filters[0])",
                        "doc.yaml:5:5: routes[0]: exactly one of cluster, weightedClusters, service,"
                                + " directResponse, redirect is required (got cluster and"
                                + " directResponse)",
                        "doc.yaml:6:12: routes[0].match: at most one of path, prefix, regex is"
                                + " allowed",
                        "doc.yaml:6:21: routes[0].match.prefix: must start with '/'",
                        "doc.yaml:6:33: routes[0].match.regex: invalid regex: Unclosed character"
                                + " class near index 5",
                        "doc.yaml:9:11: routes[1].name: duplicate route name 'api' (first used by"
                                + " routes[0])",
                        "doc.yaml:11:17: routes[1].match.headers[0]: exactly one of exact, prefix,"
                                + " regex, present is required (got regex and present)",
                        "doc.yaml:11:39: routes[1].match.headers[0].regex: invalid regex: Unclosed"
                                + " group near index 1",
                        "doc.yaml:12:14: routes[1].cluster: unknown cluster 'db' (the document has"
                                + " web, web2)",
                        "doc.yaml:14:5: clusters[0].hashHeader: required with loadBalancer"
                                + " ring_hash",
                        "doc.yaml:15:30: clusters[1].endpoints[0]: port must be between 1 and"
                                + " 65535, not 0",
                        "doc.yaml:15:56: clusters[1].connectTimeout: must be a positive duration: a"
                                + " number and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or"
                                + " 1h");
    }

    @Test
    void malformedYamlGivesTheParsersPlace() {
        assertThat(
                        errors(
                                """
                                routes:
                                  - cluster: web
                                     match: {prefix: /}
                                """))
                .containsExactly("doc.yaml:3:11: mapping values are not allowed here");
    }

    @Test
    void malformedJsonGivesTheParsersPlace() {
        assertThat(
                        ConfigLoaderErrors.of(
                                () ->
                                        ConfigLoader.parseTenantDocument(
                                                "{\"routes\": [\n  {\"cluster\": }\n]}",
                                                "doc.json",
                                                Format.JSON)))
                .containsExactly(
                        "doc.json:2:15: Unexpected character ('}' (code 125)): expected a value");
    }

    @Test
    void aDocumentMustBeAnObject() {
        assertThat(errors("- routes\n"))
                .containsExactly("doc.yaml:1:1: must be an object, not an array");
    }
}

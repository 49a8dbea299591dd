package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules a schema cannot express. */
class SemanticErrorsTest {

    /** One tenant with clusters a and b, filter f and service s; {@code routes} is its routes. */
    private static java.util.List<String> errorsWithRoutes(String routes) {
        return Configs.errors(
                """
                listeners: [{name: http, port: 8080}]
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters: [{name: auth, module: ../filter-sdk/examples/c/api_key.wasm}]
                    services: [{name: s, module: ../filter-sdk/examples/c/add_header.wasm}]
                    clusters: [{name: backend, endpoints: ["a:80"]}, {name: cache, endpoints: ["b:80"]}]
                    routes:
                """
                        + routes.indent(6));
    }

    @Test
    void unknownClustersAndServices() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - cluster: bakend
                                - weightedClusters: [backend, {name: db, weight: 2}]
                                - service: nope
                                """))
                .containsExactly(
                        "test.yaml:9:18: tenants[0].routes[0].cluster: unknown cluster 'bakend' (did you mean 'backend'?)",
                        "test.yaml:10:44: tenants[0].routes[1].weightedClusters[1].name: unknown cluster 'db'"
                                + " (tenant 'shop' has backend, cache)",
                        "test.yaml:11:18: tenants[0].routes[2].service: unknown service 'nope' (tenant 'shop' has s)");
    }

    @Test
    void unknownFilterInOverrides() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - cluster: backend
                                  filters:
                                    auth: {disabled: true}
                                    authz: {disabled: true}
                                    other: {configuration: x}
                                """))
                .containsExactly(
                        "test.yaml:12:11: tenants[0].routes[0].filters.authz: unknown filter 'authz' (did you mean 'auth'?)",
                        "test.yaml:13:11: tenants[0].routes[0].filters.other: unknown filter 'other' (tenant 'shop' has auth)");
    }

    @Test
    void exactlyOneAction() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - name: none
                                - name: two
                                  cluster: backend
                                  directResponse: {status: 200}
                                """))
                .containsExactly(
                        "test.yaml:9:9: tenants[0].routes[0]: exactly one of cluster, weightedClusters, service,"
                                + " directResponse, redirect is required",
                        "test.yaml:10:9: tenants[0].routes[1]: exactly one of cluster, weightedClusters, service,"
                                + " directResponse, redirect is required (got cluster and directResponse)");
    }

    @Test
    void exactlyOneTestPerHeaderAndQueryCondition() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - cluster: backend
                                  match:
                                    headers:
                                      - {name: x-a}
                                      - {name: x-b, exact: "1", present: true}
                                      - {name: x-c, prefix: v}
                                    query:
                                      - {name: debug, regex: "1|true", exact: "1"}
                                      - {name: page, present: false}
                                """))
                .containsExactly(
                        "test.yaml:12:15: tenants[0].routes[0].match.headers[0]: exactly one of exact, prefix,"
                                + " regex, present is required",
                        "test.yaml:13:15: tenants[0].routes[0].match.headers[1]: exactly one of exact, prefix,"
                                + " regex, present is required (got exact and present)",
                        "test.yaml:16:15: tenants[0].routes[0].match.query[0]: exactly one of exact, regex,"
                                + " present is required (got exact and regex)");
    }

    @Test
    void regexesMustCompile() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - cluster: backend
                                  match:
                                    regex: /items/([0-9]+
                                    headers: [{name: x-id, regex: "[a-z"}]
                                """))
                .containsExactly(
                        "test.yaml:11:18: tenants[0].routes[0].match.regex: invalid regex: Unclosed group near index 14",
                        "test.yaml:12:41: tenants[0].routes[0].match.headers[0].regex: invalid regex: Unclosed"
                                + " character class near index 3");
    }

    @Test
    void redirects() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - redirect: {status: 301}
                                - redirect: {path: /new, prefixRewrite: /new/}
                                - redirect: {status: 304, scheme: https}
                                """))
                .containsExactly(
                        "test.yaml:9:19: tenants[0].routes[0].redirect: at least one of scheme, host, port, path,"
                                + " prefixRewrite is required",
                        "test.yaml:10:19: tenants[0].routes[1].redirect: at most one of path, prefixRewrite is allowed",
                        "test.yaml:11:28: tenants[0].routes[2].redirect.status: must be one of 301, 302, 303, 307,"
                                + " 308, not '304'");
    }

    @Test
    void weightsMustNotAllBeZero() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    routes:
                                      - weightedClusters: [{name: a, weight: 0}, {name: b, weight: 0}]
                                      - weightedClusters: [{name: a, weight: 0}, b]
                                    clusters:
                                      - {name: a, endpoints: [{host: a, port: 1, weight: 0}]}
                                      - {name: b, endpoints: [{host: b, port: 1, weight: 0}, "c:1"]}
                                """))
                .containsExactly(
                        "test.yaml:6:27: tenants[0].routes[0].weightedClusters: weights must not all be zero",
                        "test.yaml:9:30: tenants[0].clusters[0].endpoints: weights must not all be zero");
    }

    @Test
    void duplicateNames() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: a, port: 1}, {name: a, port: 2}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    filters:
                                      - {name: f, module: ../filter-sdk/examples/c/add_header.wasm}
                                      - {name: f, module: ../filter-sdk/examples/c/api_key.wasm}
                                    routes:
                                      - {name: route-1, cluster: c}
                                      - {cluster: c}
                                    clusters:
                                      - {name: c, endpoints: ["a:1"]}
                                      - {name: c, endpoints: ["a:2"]}
                                    services:
                                      - {name: s, module: {sha256: %1$s}}
                                      - {name: s, module: {sha256: %1$s}}
                                """
                                        .formatted("f".repeat(64))))
                .containsExactly(
                        "test.yaml:1:40: listeners[1].name: duplicate listener name 'a' (first used by listeners[0])",
                        "test.yaml:7:16: tenants[0].filters[1].name: duplicate filter name 'f'"
                                + " (first used by tenants[0].filters[0])",
                        "test.yaml:10:9: tenants[0].routes[1]: duplicate route name 'route-1'"
                                + " (first used by tenants[0].routes[0])",
                        "test.yaml:13:16: tenants[0].clusters[1].name: duplicate cluster name 'c'"
                                + " (first used by tenants[0].clusters[0])",
                        "test.yaml:16:16: tenants[0].services[1].name: duplicate service name 's'"
                                + " (first used by tenants[0].services[0])");
    }

    @Test
    void aDomainBelongsToOneTenant() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - {name: a, domains: ["*", a.test, A.TEST]}
                                  - {name: b, domains: [b.test, "*", "localhost:8080"]}
                                  - {name: c, domains: [LOCALHOST:8080, "*.b.test"]}
                                """))
                .containsExactly(
                        "test.yaml:3:38: tenants[0].domains[2]: duplicate domain 'a.test'",
                        "test.yaml:4:33: tenants[1].domains[1]: domain '*' is already owned by tenant 'a'",
                        "test.yaml:5:25: tenants[2].domains[0]: domain 'localhost:8080' is already owned by tenant 'b'");
    }

    @Test
    void modulesNeedAPathOrADigest() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    filters:
                                      - {name: f, module: {}}
                                      - {name: g, module: missing.wasm}
                                      - {name: h, module: {sha256: ABC}}
                                """))
                .containsExactly(
                        "test.yaml:6:27: tenants[0].filters[0].module: at least one of path, sha256 is required",
                        "test.yaml:7:27: tenants[0].filters[1].module: file not found: "
                                + Configs.MODULE_DIR.resolve("missing.wasm"),
                        "test.yaml:8:36: tenants[0].filters[2].module.sha256: must be a sha256 digest: 64"
                                + " lower-case hex digits");
    }

    @Test
    void clusters() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    clusters:
                                      - {name: a, endpoints: ["a:1"], loadBalancer: ring_hash}
                                      - {name: b, endpoints: ["b:99999"], hashHeader: x-user}
                                      - {name: c, endpoints: ["c"]}
                                """))
                .containsExactly(
                        "test.yaml:6:9: tenants[0].clusters[0].hashHeader: required with loadBalancer ring_hash",
                        "test.yaml:7:31: tenants[0].clusters[1].endpoints[0]: port must be between 1 and 65535, not 99999",
                        "test.yaml:7:55: tenants[0].clusters[1].hashHeader: only used with loadBalancer ring_hash",
                        "test.yaml:8:31: tenants[0].clusters[2].endpoints[0]: must be host:port (IPv6 in brackets:"
                                + " [::1]:8080)");
    }

    @Test
    void listeners() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - {name: a, port: 8080}
                                  - {name: b, address: 127.0.0.1, port: 8080}
                                  - {name: c, address: 127.0.0.2, port: 8081}
                                  - {name: d, address: 127.0.0.3, port: 8081}
                                  - {name: e, port: 0}
                                  - {name: f, port: 0}
                                """))
                .containsExactly(
                        "test.yaml:3:41: listeners[1].port: port 8080 is already bound by listener 'a'");
    }

    @Test
    void retries() {
        assertThat(
                        errorsWithRoutes(
                                """
                                - cluster: backend
                                  retries:
                                    retryOn: [retriable-status-codes]
                                    backoffBase: 1s
                                    backoffMax: 100ms
                                """))
                .containsExactly(
                        "test.yaml:11:20: tenants[0].routes[0].retries.retryOn: retriable-status-codes needs"
                                + " retriableStatusCodes",
                        "test.yaml:13:23: tenants[0].routes[0].retries.backoffMax: must not be shorter than"
                                + " backoffBase (1s)");
    }

    /** The rules run even when the schema failed: values of the wrong shape must not trip them. */
    @Test
    void rulesSurviveDocumentsOfTheWrongShape() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [1, {name: h, port: 1, tls: 5, protocols: [5, h2]}]
                                tenants:
                                  - 7
                                  - name: t
                                    domains: [1, null]
                                    filters: [{module: [], name: []}, {name: g, module: {path: 3}}]
                                    routes:
                                      - {match: 5, weightedClusters: [5, {weight: 0}], redirect: 5, filters: [1]}
                                      - match: {headers: [1, {name: 5}], query: 5, regex: 5}
                                        retries: {retryOn: 5, backoffBase: 5, backoffMax: 1s}
                                    clusters: [{name: c, endpoints: [{weight: 0}], loadBalancer: 5, hashHeader: 5}, 7]
                                    services: 1
                                """))
                .hasSize(31)
                .contains(
                        "test.yaml:1:13: listeners[0]: must be an object, not an integer (1)",
                        "test.yaml:8:9: tenants[1].routes[0]: exactly one of cluster, weightedClusters,"
                                + " service, directResponse, redirect is required (got weightedClusters and"
                                + " redirect)",
                        "test.yaml:11:37: tenants[1].clusters[0].endpoints: weights must not all be zero");
    }
}

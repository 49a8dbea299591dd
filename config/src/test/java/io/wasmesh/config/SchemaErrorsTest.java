package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What breaks the schema, in messages for people, at the offending value. */
class SchemaErrorsTest {

    @Test
    void unknownFieldAtDepthWithASuggestion() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: shop
                                    domains: [shop.test]
                                    routes:
                                      - match:
                                          prefx: /api
                                        cluster: a
                                    clusters: [{name: a, endpoints: ["a:80"]}]
                                """))
                .containsExactly(
                        "test.yaml:7:11: tenants[0].routes[0].match.prefx: unknown field 'prefx'"
                                + " (did you mean 'prefix'?)");
    }

    @Test
    void unknownFieldsSuggestOnlyWhatIsClose() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080, max_connections: 1, colour: red}]
                                tenant: []
                                """))
                .containsExactly(
                        "test.yaml:1:38: listeners[0].max_connections: unknown field 'max_connections'",
                        "test.yaml:1:58: listeners[0].colour: unknown field 'colour'",
                        "test.yaml:2:1: tenant: unknown field 'tenant' (did you mean 'tenants'?)");
    }

    @Test
    void wrongTypes() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - name: http
                                    port: "8080"
                                    protocols: h2c
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    limits: {callDeadline: 100}
                                    filters: [{name: f, module: 42}]
                                """))
                .containsExactly(
                        "test.yaml:3:11: listeners[0].port: must be an integer, not a string ('8080')",
                        "test.yaml:4:16: listeners[0].protocols: must be an array, not a string ('h2c')",
                        "test.yaml:8:28: tenants[0].limits.callDeadline: must be a positive duration: a number"
                                + " and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h",
                        "test.yaml:9:33: tenants[0].filters[0].module: must be a string or an object, not an"
                                + " integer (42)");
    }

    @Test
    void missingRequiredFieldsAtTheirObject() {
        assertThat(
                        Configs.errors(
                                """
                                tenants:
                                  - name: t
                                    clusters:
                                      - name: a
                                """))
                .containsExactly(
                        "test.yaml:1:1: listeners: required field is missing",
                        "test.yaml:2:5: tenants[0].domains: required field is missing",
                        "test.yaml:4:9: tenants[0].clusters[0].endpoints: required field is missing");
    }

    @Test
    void enumsRangesPatternsAndEmptiness() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - name: http
                                    port: 70000
                                    protocols: [http1, http3]
                                tenants:
                                  - name: Shop
                                    domains: []
                                    routes:
                                      - match: {prefix: api/}
                                        directResponse: {status: 700}
                                    clusters:
                                      - name: a
                                        endpoints: []
                                        loadBalancer: roundrobin
                                """))
                .containsExactly(
                        "test.yaml:3:11: listeners[0].port: must be at most 65535",
                        "test.yaml:4:24: listeners[0].protocols[1]: must be one of http1, h2c, h2, not 'http3'"
                                + " (did you mean 'http1'?)",
                        "test.yaml:6:11: tenants[0].name: must be a DNS label: lower-case letters, digits and"
                                + " '-', starting and ending with a letter or digit, at most 63 characters",
                        "test.yaml:7:14: tenants[0].domains: must not be empty",
                        "test.yaml:9:25: tenants[0].routes[0].match.prefix: must start with '/'",
                        "test.yaml:10:34: tenants[0].routes[0].directResponse.status: must be at most 599",
                        "test.yaml:13:20: tenants[0].clusters[0].endpoints: must not be empty",
                        "test.yaml:14:23: tenants[0].clusters[0].loadBalancer: must be one of round_robin,"
                                + " least_request, random, ring_hash, not 'roundrobin' (did you mean 'round_robin'?)");
    }

    @Test
    void mapKeysAndEmptyOverrides() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    filters: [{name: f, module: {sha256: "%s"}}]
                                    routes:
                                      - cluster: c
                                        filters:
                                          f: {}
                                      - directResponse:
                                          status: 200
                                          headers: {"x header": v}
                                    clusters: [{name: c, endpoints: ["c:1"]}]
                                """
                                        .formatted("a".repeat(64))))
                .containsExactly(
                        "test.yaml:9:14: tenants[0].routes[0].filters.f: must set at least one of"
                                + " disabled, configuration",
                        "test.yaml:12:21: tenants[0].routes[1].directResponse.headers[\"x header\"]:"
                                + " invalid name 'x header': must be an HTTP header name (letters, digits"
                                + " and !#$%&'*+.^_`|~-)");
    }

    @Test
    void aDigestShorthandIsNotAFileName() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    services: [{name: s, module: "sha256:0123"}]
                                """))
                .containsExactly(
                        "test.yaml:5:34: tenants[0].services[0].module: must be sha256: and 64"
                                + " lower-case hex digits");
    }

    @Test
    void severalErrorsOfBothKindsAllReportedInDocumentOrder() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - {name: http, port: 8080, protocols: [h2]}
                                tenants:
                                  - name: shop
                                    domains: [shop.test]
                                    routes:
                                      - match: {path: /a, prefix: /b}
                                        cluster: missing
                                      - cluster: a
                                        timeout: soon
                                    clusters:
                                      - {name: a, endpoints: ["a:80"], wieght: 1}
                                  - name: shop
                                    domains: [Shop.test]
                                """))
                .containsExactly(
                        "test.yaml:2:42: listeners[0].protocols[0]: h2 needs tls (h2c is cleartext HTTP/2)",
                        "test.yaml:7:16: tenants[0].routes[0].match: at most one of path, prefix, regex is allowed",
                        "test.yaml:8:18: tenants[0].routes[0].cluster: unknown cluster 'missing' (tenant 'shop' has a)",
                        "test.yaml:10:18: tenants[0].routes[1].timeout: must be a duration: a non-negative number"
                                + " and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h",
                        "test.yaml:12:40: tenants[0].clusters[0].wieght: unknown field 'wieght'",
                        "test.yaml:13:11: tenants[1].name: duplicate tenant name 'shop' (first used by tenants[0])",
                        "test.yaml:14:15: tenants[1].domains[0]: domain 'shop.test' is already owned by tenant 'shop'");
    }

    @Test
    void theExceptionMessageHasOneLinePerError() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> Configs.yaml("listeners: [{name: a}]\nextra: 1\n"));

        assertThat(e.getMessage())
                .isEqualTo(
                        "test.yaml:1:13: listeners[0].port: required field is missing\n"
                                + "test.yaml:2:1: extra: unknown field 'extra'");
    }
}

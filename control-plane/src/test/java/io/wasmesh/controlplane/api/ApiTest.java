package io.wasmesh.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.controlplane.testing.Api;
import io.wasmesh.controlplane.testing.Fixtures;
import io.wasmesh.controlplane.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API on one real node: modules, config revisions, rollback, and bad input that gets a
 * clear 4xx and changes nothing.
 */
class ApiTest {
    static TestCluster cluster;
    static Api operator;

    @BeforeAll
    static void start() throws Exception {
        cluster =
                TestCluster.start(
                        1,
                        io.wasmesh.controlplane.store.persist.Persistence.none(),
                        new ApiServer.Limits(256 << 10, 64 << 10, 16 << 10, 1000, 1000));
        operator = cluster.operator(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static String config(String addHeaderSha, String extra) {
        return """
                # the shop's config
                filters:
                  - name: tag
                    module: "sha256:%s"
                    configuration: "add=x-tag: blue"
                clusters:
                  - name: backend
                    endpoints: [{host: 127.0.0.1, port: 9}]
                routes:
                  - match: {prefix: /}
                    cluster: backend
                %s"""
                .formatted(addHeaderSha, extra);
    }

    @Test
    void aModuleIsValidatedStoredAndListed() {
        Api shop = Fixtures.tenant(operator, "modules");
        byte[] wasm = Fixtures.filter("add_header");
        Api.Response up = shop.postWasm("/v1/tenants/modules/modules?name=add_header", wasm);
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
        String sha = up.json().path("sha256").asText();
        assertThat(up.json().path("kind").asText()).isEqualTo("proxy-wasm");
        assertThat(up.json().path("size").asLong()).isEqualTo(wasm.length);

        assertThat(shop.postWasm("/v1/tenants/modules/modules", wasm).status())
                .as("the same bytes again")
                .isEqualTo(200);
        Api.Response service =
                shop.postWasm("/v1/tenants/modules/modules", Fixtures.service("hello"));
        assertThat(service.json().path("kind").asText()).isEqualTo("wasi-command");

        assertThat(shop.get("/v1/tenants/modules/modules").json()).hasSize(2);
        Api.Response bytes =
                shop.send(
                        "GET",
                        "/v1/tenants/modules/modules/" + sha,
                        null,
                        null,
                        "accept",
                        "application/wasm");
        assertThat(bytes.bytes()).isEqualTo(wasm);
        assertThat(shop.delete("/v1/tenants/modules/modules/" + sha).status()).isEqualTo(204);
        assertThat(shop.get("/v1/tenants/modules/modules").json()).hasSize(1);
    }

    @Test
    void badModulesGetAClearErrorAndChangeNothing() {
        Api shop = Fixtures.tenant(operator, "badmods");
        Api.Response garbage =
                shop.postWasm(
                        "/v1/tenants/badmods/modules", "not wasm".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.header("content-type")).isEqualTo("application/problem+json");
        assertThat(garbage.json().path("detail").asText()).contains("not a valid Wasm module");

        byte[] wasm = Fixtures.filter("add_header");
        Api.Response wrongDigest =
                shop.postWasm("/v1/tenants/badmods/modules?sha256=" + "0".repeat(64), wasm);
        assertThat(wrongDigest.status()).isEqualTo(422);
        assertThat(wrongDigest.json().path("type").asText()).endsWith("/digest-mismatch");

        byte[] huge = Arrays.copyOf(wasm, 300 << 10);
        assertThat(shop.postWasm("/v1/tenants/badmods/modules", huge).status()).isEqualTo(413);

        // A module importing a namespace no host here provides: (import "spectest" "print" (func)).
        byte[] foreign = {
            0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // magic, version
            1, 4, 1, 0x60, 0, 0, // type section: () -> ()
            2, 0x12, 1, 8, 's', 'p', 'e', 'c', 't', 'e', 's', 't', 5, 'p', 'r', 'i', 'n', 't', 0, 0
        };
        Api.Response imports = shop.postWasm("/v1/tenants/badmods/modules", foreign);
        assertThat(imports.status()).as(imports.toString()).isEqualTo(422);
        assertThat(imports.json().path("detail").asText()).contains("spectest.print");

        assertThat(shop.get("/v1/tenants/badmods/modules").json()).isEmpty();
    }

    @Test
    void theModuleQuotaIsEnforced() {
        Api shop = Fixtures.tenant(operator, "quota");
        assertThat(operator.patchJson("/v1/tenants/quota", "{\"quota\":{\"modules\":1}}").status())
                .isEqualTo(200);
        Fixtures.push(shop, "quota", Fixtures.filter("add_header"));
        Api.Response second =
                shop.postWasm("/v1/tenants/quota/modules", Fixtures.filter("api_key"));
        assertThat(second.status()).isEqualTo(413);
        assertThat(second.json().path("type").asText()).endsWith("/quota-exceeded");
        assertThat(shop.get("/v1/tenants/quota/modules").json()).hasSize(1);
    }

    @Test
    void configRevisionsApplyRollBackAndGuardAgainstLostUpdates() {
        Api shop = Fixtures.tenant(operator, "revs");
        String sha = Fixtures.push(shop, "revs", Fixtures.filter("add_header"));
        Api.Response first = shop.putYaml("/v1/tenants/revs/config", config(sha, ""));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().path("revision").asLong()).isEqualTo(2);
        assertThat(first.header("etag")).isEqualTo("\"2\"");

        Api.Response current = shop.get("/v1/tenants/revs/config");
        assertThat(current.text()).startsWith("# the shop's config");
        assertThat(current.header("etag")).isEqualTo("\"2\"");

        Api.Response guarded =
                shop.putYaml("/v1/tenants/revs/config", config(sha, "# v3"), "if-match", "\"2\"");
        assertThat(guarded.status()).isEqualTo(201);
        Api.Response stale =
                shop.putYaml(
                        "/v1/tenants/revs/config", config(sha, "# lost?"), "if-match", "\"2\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.header("etag")).isEqualTo("\"3\"");

        assertThat(shop.delete("/v1/tenants/revs/modules/" + sha).status())
                .as("a module the active revision uses cannot go")
                .isEqualTo(409);

        Api.Response back = shop.postJson("/v1/tenants/revs/config/rollback", "{\"revision\":2}");
        assertThat(back.status()).isEqualTo(201);
        assertThat(back.json().path("revision").asLong()).isEqualTo(4);
        assertThat(shop.get("/v1/tenants/revs/config").text()).doesNotContain("# v3");
        var history = shop.get("/v1/tenants/revs/config/revisions").json();
        assertThat(history).hasSize(4);
        assertThat(history.get(3).path("reason").asText()).isEqualTo("rollback to 2");
        assertThat(shop.get("/v1/tenants/revs/config/revisions/3").text()).contains("# v3");
    }

    @Test
    void badConfigsAreRefusedWithEveryErrorAndChangeNothing() {
        Api shop = Fixtures.tenant(operator, "badcfg");
        String sha = Fixtures.push(shop, "badcfg", Fixtures.filter("add_header"));

        Api.Response broken = shop.putYaml("/v1/tenants/badcfg/config", "routes: [\n  - {");
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.json().path("errors").get(0).asText()).startsWith("config.yaml:");

        Api.Response unknown =
                shop.putYaml(
                        "/v1/tenants/badcfg/config",
                        "colour: blue\nroutes:\n  - match: {prefix: nope}\n    cluster: nowhere\n");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().path("errors").toString()).contains("colour").contains("nowhere");

        Api.Response missing =
                shop.putYaml("/v1/tenants/badcfg/config", config("a".repeat(64), ""));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().path("errors").toString()).contains("is not uploaded");

        assertThat(shop.get("/v1/tenants/badcfg").json().path("revision").asLong())
                .as("still the revision the tenant was created with")
                .isEqualTo(1);
    }

    @Test
    void tenantSettingsAreValidatedAndDomainsAreExclusive() {
        Fixtures.tenant(operator, "owner");
        Api.Response clash =
                operator.postJson(
                        "/v1/tenants", "{\"name\":\"thief\",\"domains\":[\"owner.example.com\"]}");
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.json().path("type").asText()).endsWith("/domain-taken");
        assertThat(operator.get("/v1/tenants/thief").status()).isEqualTo(404);

        Api.Response badName = operator.postJson("/v1/tenants", "{\"name\":\"Not A Label\"}");
        assertThat(badName.status()).isEqualTo(422);
        Api.Response badLimits =
                operator.postJson(
                        "/v1/tenants", "{\"name\":\"limits\",\"limits\":{\"maxMemoryPages\":-1}}");
        assertThat(badLimits.status()).isEqualTo(422);
        assertThat(badLimits.json().path("errors").toString()).contains("maxMemoryPages");
        Api.Response unknownField =
                operator.postJson("/v1/tenants", "{\"name\":\"x\",\"colour\":\"blue\"}");
        assertThat(unknownField.status()).isEqualTo(422);
    }
}

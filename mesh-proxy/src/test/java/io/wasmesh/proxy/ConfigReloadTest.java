package io.wasmesh.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.vertx.core.http.HttpMethod;
import io.wasmesh.proxy.testing.Eventually;
import io.wasmesh.proxy.testing.RunningProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad configs are refused with their reasons; a refused reload leaves the old config serving. */
class ConfigReloadTest {
    @RegisterExtension
    static WireMockExtension backend =
            WireMockExtension.newInstance()
                    .options(wireMockConfig().dynamicPort().jettyAcceptors(1))
                    .build();

    static String yaml(String filter, String route) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters:
                %s
                    clusters:
                      - name: backend
                        endpoints: ["127.0.0.1:%d"]
                    routes:
                      - name: all
                %s
                """
                .formatted(filter.indent(6), backend.getPort(), route.indent(8));
    }

    static String apiKey(String configuration) {
        return "- name: api-key\n  module: "
                + RunningProxy.example("c/api_key.wasm")
                + "\n  configuration: \""
                + configuration
                + "\"\n";
    }

    @Test
    void aFilterThatRefusesItsConfigurationStopsTheStartWithItsReason() {
        Throwable failure =
                RunningProxy.startFailure(yaml(apiKey("colour=blue"), "cluster: backend"));
        assertThat(failure.getMessage())
                .contains("tenant shop, filter api-key")
                .contains("rejected its configuration (on_configure returned false)");
    }

    @Test
    void aModuleThatIsNotWasmStopsTheStart(@TempDir Path dir) throws IOException {
        Path fake = Files.writeString(dir.resolve("fake.wasm"), "not wasm at all");
        String filter = "- name: fake\n  module: " + fake + "\n";
        Throwable failure = RunningProxy.startFailure(yaml(filter, "cluster: backend"));
        assertThat(failure.getMessage())
                .contains("filter fake")
                .contains("not a valid Wasm module");
    }

    @Test
    void aRejectedReloadKeepsTheOldConfigServingAndAGoodOneTakesOver() {
        backend.stubFor(get("/").willReturn(aResponse().withStatus(200).withBody("upstream")));
        try (RunningProxy p = RunningProxy.start(yaml("[]", "cluster: backend"))) {
            long first = p.proxy.revision();
            Throwable refused =
                    failure(
                            p.proxy.reload(
                                    RunningProxy.config(
                                            yaml(apiKey("colour=blue"), "cluster: backend"))));
            assertThat(refused.getMessage()).contains("rejected its configuration");
            assertThat(p.proxy.revision()).isEqualTo(first);
            assertThat(p.get("shop.test", "/").body()).isEqualTo("upstream");

            RunningProxy.await(
                    p.proxy.reload(
                            RunningProxy.config(
                                    yaml("[]", "directResponse: {status: 418, body: teapot}"))));
            assertThat(p.proxy.revision()).isGreaterThan(first);
            RunningProxy.Response r = p.get("shop.test", "/");
            assertThat(r.status()).isEqualTo(418);
            assertThat(r.body()).isEqualTo("teapot");
            assertThat(p.admin(HttpMethod.GET, "/config_dump").body())
                    .contains("\"revision\" : " + p.proxy.revision());
        }
    }

    @Test
    void inFlightRequestsFinishOnTheSnapshotTheyStartedWith() {
        backend.stubFor(
                get("/slow")
                        .willReturn(
                                aResponse().withStatus(200).withBody("old").withFixedDelay(700)));
        try (RunningProxy p = RunningProxy.start(yaml("[]", "cluster: backend"))) {
            CompletableFuture<RunningProxy.Response> inFlight =
                    p.sendAsync(HttpMethod.GET, "shop.test", "/slow", null);
            Eventually.holds(
                    "the request is in flight",
                    () ->
                            p.admin(HttpMethod.GET, "/clusters")
                                    .body()
                                    .contains("\"activeRequests\" : 1"));
            RunningProxy.await(
                    p.proxy.reload(
                            RunningProxy.config(yaml("[]", "directResponse: {status: 418}"))));
            assertThat(p.get("shop.test", "/slow").status()).isEqualTo(418);
            RunningProxy.Response old = inFlight.join();
            assertThat(old.status()).isEqualTo(200);
            assertThat(old.body()).isEqualTo("old");
        }
    }

    @Test
    void reloadFromTheAdminPortReReadsTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mesh.yaml");
        Files.writeString(file, yaml("[]", "directResponse: {status: 200, body: one}"));
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            MeshProxy proxy =
                    RunningProxy.await(
                            MeshProxy.start(
                                    vertx,
                                    RunningProxy.config(Files.readString(file)),
                                    MeshProxy.Options.defaults().withConfigFile(file)));
            try {
                Files.writeString(file, "tenants: [oops");
                assertThat(failure(proxy.reloadFromFile()).getMessage()).contains("mesh.yaml");
                Files.writeString(file, yaml("[]", "directResponse: {status: 200, body: two}"));
                assertThat(RunningProxy.await(proxy.reloadFromFile())).isEqualTo(proxy.revision());
            } finally {
                RunningProxy.await(proxy.shutdown());
            }
        } finally {
            vertx.close();
        }
    }

    private static Throwable failure(io.vertx.core.Future<?> f) {
        try {
            RunningProxy.await(f);
        } catch (RunningProxy.ProxyCallFailed e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}

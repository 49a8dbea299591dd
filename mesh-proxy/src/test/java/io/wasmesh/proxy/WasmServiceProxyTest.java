package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.wasmesh.proxy.testing.RunningProxy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routes that end in a tenant's Wasm service: WAGI (fresh instance) and proxy-wasm (kept VM). */
public class WasmServiceProxyTest {
    static RunningProxy proxy;

    public static String service(String name) {
        return Path.of("..", "services", name, name + ".wasm")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    public static String fixture(String name) {
        return Path.of("..", "wasm-host", "src", "test", "resources", "wasm", name)
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    @BeforeAll
    static void start() {
        proxy =
                RunningProxy.start(
                        """
                        listeners: [{name: http, address: 127.0.0.1, port: 0}]
                        admin: {address: 127.0.0.1, port: 0}
                        tenants:
                          - name: shop
                            domains: [shop.test]
                            limits: {maxMemoryPages: 64}
                            filters:
                              - {name: tag, module: "%s"}
                            services:
                              - {name: hello, module: "%s", environment: {GREETING: Hi}}
                              - {name: echo, module: "%s"}
                              - {name: probe, module: "%s", timeout: 200ms}
                              - {name: counter, module: "%s"}
                              - {name: thumbnail, module: "%s"}
                              - {name: greeter, module: "%s", rootId: greeter}
                              - {name: pick, module: "%s"}
                            routes:
                              - {match: {prefix: /hello}, service: hello}
                              - {match: {prefix: /echo}, service: echo}
                              - {match: {prefix: /probe}, service: probe}
                              - {match: {prefix: /count}, service: counter}
                              - {match: {prefix: /thumbnail}, service: thumbnail}
                              - {match: {prefix: /greet}, service: greeter}
                              - {match: {prefix: /pick}, service: pick}
                          - name: tight
                            domains: [tight.test]
                            limits: {maxRequestBodyBytes: 1048576, maxResponseBodyBytes: 65536}
                            services: [{name: probe, module: "%s"}]
                            routes: [{service: probe}]
                        """
                                .formatted(
                                        RunningProxy.example("c/add_header.wasm"),
                                        service("hello"),
                                        service("echo"),
                                        fixture("wagi_probe.wasm"),
                                        service("counter"),
                                        service("thumbnail"),
                                        Path.of("..", "services", "greeter-as", "greeter.wasm")
                                                .toAbsolutePath()
                                                .normalize()
                                                .toString(),
                                        service("json-pick"),
                                        fixture("wagi_probe.wasm")));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void aWagiServiceAnswersFromCgiAndTheRoutesFiltersSeeItsResponse() {
        RunningProxy.Response r = proxy.get("shop.test", "/hello/there?name=ada");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("x-served-by")).isEqualTo("wasm");
        assertThat(r.headers().get("x-powered-by")).isEqualTo("wasmesh");
        assertThat(r.body()).isEqualTo("Hi, ada!\nmethod=GET path=/hello/there host=shop.test\n");
    }

    @Test
    void requestAndResponseBodiesHaveTheirOwnLimits() {
        byte[] small = new byte[32 << 10];
        byte[] large = new byte[100 << 10];
        java.util.Arrays.fill(small, (byte) 'a');
        java.util.Arrays.fill(large, (byte) 'b');

        RunningProxy.Response echoed =
                proxy.sendBytes(HttpMethod.POST, "tight.test", "/?echo", small);
        RunningProxy.Response tooLarge =
                proxy.sendBytes(HttpMethod.POST, "tight.test", "/?echo", large);

        assertThat(echoed.status()).isEqualTo(200);
        assertThat(echoed.raw()).isEqualTo(small);
        // 100 KiB is within the 1 MiB request limit, and its echo past the 64 KiB response one.
        assertThat(tooLarge.status()).isEqualTo(502);
        assertThat(tooLarge.headers().get("x-wasmesh-service-error"))
                .isEqualTo("wagi_response_too_large");
    }

    @Test
    void aWagiServiceReadsTheBodyOnStdin() {
        RunningProxy.Response r =
                proxy.send(HttpMethod.POST, "shop.test", "/hello", "make it loud");
        assertThat(r.body()).isEqualTo("MAKE IT LOUD");
    }

    @Test
    void aProxyWasmServiceAnswersAndKeepsItsVmBetweenRequests() {
        RunningProxy.Response first = proxy.get("shop.test", "/echo/a");
        RunningProxy.Response second = proxy.send(HttpMethod.POST, "shop.test", "/echo/b", "12345");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().get("content-type")).isEqualTo("application/json");
        assertThat(first.body())
                .startsWith("{\"method\":\"GET\",\"path\":\"/echo/a\",\"bytes\":0,");
        assertThat(second.body())
                .startsWith("{\"method\":\"POST\",\"path\":\"/echo/b\",\"bytes\":5,");
        int servedFirst = served(first.body());
        assertThat(served(second.body())).isEqualTo(servedFirst + 1);
    }

    @Test
    void idleServiceVmsAreReleasedAndRebuiltOnDemand() {
        int before = served(proxy.get("shop.test", "/echo/x").body());
        assertThat(
                        RunningProxy.await(
                                io.vertx.core.Future.fromCompletionStage(
                                        proxy.proxy.releaseIdleServices(java.time.Duration.ZERO))))
                .isPositive();
        // A fresh VM: the count kept in the old one's memory is gone.
        assertThat(served(proxy.get("shop.test", "/echo/x").body())).isEqualTo(1);
        assertThat(before).isPositive();
    }

    private static int served(String json) {
        return Integer.parseInt(json.replaceAll("(?s).*\"served\":(\\d+).*", "$1"));
    }

    @Test
    void aRunawayServiceGetsATypedAnswerAndIsCountedWhileOthersKeepServing() {
        RunningProxy.Response loop = proxy.get("shop.test", "/probe?loop");
        assertThat(loop.status()).isEqualTo(504);
        assertThat(loop.headers().get("x-wasmesh-service-error"))
                .isEqualTo("wasm_deadline_exceeded");

        RunningProxy.Response bomb = proxy.get("shop.test", "/probe?grow");
        assertThat(bomb.status()).isEqualTo(503);
        assertThat(bomb.headers().get("x-wasmesh-service-error")).isEqualTo("wasm_memory_limit");

        assertThat(proxy.get("shop.test", "/hello").status()).isEqualTo(200);
        assertThat(
                        proxy.proxy
                                .metrics()
                                .value(
                                        "wasmesh_service_failures_total",
                                        "tenant",
                                        "shop",
                                        "service",
                                        "probe",
                                        "reason",
                                        "wasm_deadline_exceeded"))
                .isEqualTo(1);
    }

    @Test
    void anAssemblyScriptServiceAnswersThroughTheSdk() {
        RunningProxy.Response first = proxy.get("shop.test", "/greet/you");
        RunningProxy.Response second = proxy.get("shop.test", "/greet/again");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().get("content-type")).isEqualTo("application/json");
        assertThat(first.body())
                .startsWith("{\"greeting\":\"hello from AssemblyScript\",\"path\":\"/greet/you\"");
        assertThat(served(second.body())).isEqualTo(served(first.body()) + 1);
    }

    @Test
    void aJsonTransformerPicksFields() {
        String doc =
                "{\"id\": 7, \"name\": \"ada \\\"the\\\" first\", \"tags\": [\"x\", {\"y\": [1, 2]}], \"secret\": \"s\"}";
        RunningProxy.Response r =
                proxy.send(HttpMethod.POST, "shop.test", "/pick?fields=tags,name,missing,id", doc);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .isEqualTo(
                        "{\"tags\":[\"x\", {\"y\": [1, 2]}],\"name\":\"ada \\\"the\\\" first\",\"id\":7}\n");
        RunningProxy.Response bad =
                proxy.send(HttpMethod.POST, "shop.test", "/pick?fields=a", "{\"a\": [1, 2}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("malformed value\n");
    }

    @Test
    void aWagiServiceKeepsStateInTheTenantsKeyValueStore() {
        assertThat(proxy.get("shop.test", "/count/page").body()).isEqualTo("visits of /page: 1\n");
        assertThat(proxy.get("shop.test", "/count/page").body()).isEqualTo("visits of /page: 2\n");
        assertThat(proxy.get("shop.test", "/count/other").body())
                .isEqualTo("visits of /other: 1\n");
    }

    @Test
    void aComputeServiceScalesAnImageDown() {
        // 200 x 100: left half red, right half blue.
        ByteArrayOutputStream ppm = new ByteArrayOutputStream();
        ppm.writeBytes("P6\n# test image\n200 100\n255\n".getBytes(StandardCharsets.US_ASCII));
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                ppm.writeBytes(
                        x < 100 ? new byte[] {(byte) 255, 0, 0} : new byte[] {0, 0, (byte) 255});
            }
        }
        RunningProxy.Response r =
                proxy.sendBytes(HttpMethod.POST, "shop.test", "/thumbnail?w=20", ppm.toByteArray());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("image/x-portable-pixmap");
        byte[] header = "P6\n20 10\n255\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Arrays.copyOf(r.raw(), header.length)).isEqualTo(header);
        assertThat(r.raw()).hasSize(header.length + 20 * 10 * 3);
        int firstPixel = header.length;
        int lastPixel = r.raw().length - 3;
        assertThat(Arrays.copyOfRange(r.raw(), firstPixel, firstPixel + 3))
                .isEqualTo(new byte[] {(byte) 255, 0, 0});
        assertThat(Arrays.copyOfRange(r.raw(), lastPixel, lastPixel + 3))
                .isEqualTo(new byte[] {0, 0, (byte) 255});

        RunningProxy.Response bad =
                proxy.sendBytes(
                        HttpMethod.POST,
                        "shop.test",
                        "/thumbnail",
                        "GIF89a".getBytes(StandardCharsets.US_ASCII));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("not a binary PPM");
    }

    @Test
    void aServiceSeesNoHostEnvironmentAndNoFiles() {
        String env = proxy.get("shop.test", "/probe?env").body();
        assertThat(env).contains("REQUEST_METHOD=GET", "SCRIPT_NAME=/probe");
        assertThat(env.lines()).noneMatch(l -> l.startsWith("PATH=") || l.startsWith("HOME="));
        assertThat(proxy.get("shop.test", "/probe?files").body()).isEqualTo("no files\n");
    }
}

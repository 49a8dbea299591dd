package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.wasmesh.proxy.testing.RunningProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One tenant floods its runaway service; another tenant's requests are served meanwhile, not after
 * the flood. Shown by order of completion, not by timing.
 */
class NoisyNeighbourTest {
    @Test
    void aTenantFloodingARunawayServiceDoesNotHoldUpAnotherTenant() {
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: noisy
                    domains: [noisy.test]
                    services: [{name: spin, module: "%s", timeout: 300ms}]
                    routes: [{service: spin}]
                  - name: quiet
                    domains: [quiet.test]
                    services: [{name: hello, module: "%s"}]
                    routes: [{service: hello}]
                """
                        .formatted(
                                WasmServiceProxyTest.fixture("wagi_probe.wasm"),
                                WasmServiceProxyTest.service("hello"));
        try (RunningProxy p = RunningProxy.start(yaml)) {
            List<CompletableFuture<RunningProxy.Response>> flood = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                flood.add(p.sendAsync(HttpMethod.GET, "noisy.test", "/?loop", null));
            }
            // Each runaway request holds a Wasm worker until its 300 ms deadline: once the first
            // has been stopped, the rest of the flood still needs over a second.
            CompletableFuture.anyOf(flood.toArray(new CompletableFuture<?>[0])).join();

            RunningProxy.Response quiet = p.get("quiet.test", "/?name=b");

            assertThat(quiet.status()).isEqualTo(200);
            assertThat(flood)
                    .as("the noisy tenant's flood is still being served")
                    .anyMatch(f -> !f.isDone());
            assertThat(
                            flood.stream()
                                    .map(CompletableFuture::join)
                                    .map(RunningProxy.Response::status))
                    .containsOnly(504);
        }
    }

    @Test
    void aTenantsWasmTimeBudgetStopsItsRunawayGuestAndPacesItsNextRequests() {
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: noisy
                    domains: [noisy.test]
                    limits: {cpuPerSecond: 10ms}
                    services: [{name: spin, module: "%s", timeout: 100ms}]
                    routes: [{service: spin}]
                  - name: quiet
                    domains: [quiet.test]
                    services: [{name: hello, module: "%s"}]
                    routes: [{service: hello}]
                """
                        .formatted(
                                WasmServiceProxyTest.fixture("wagi_probe.wasm"),
                                WasmServiceProxyTest.service("hello"));
        try (RunningProxy p = RunningProxy.start(yaml)) {
            // The 10 ms budget stops the spinning guest long before its 100 ms deadline (which
            // would answer 504)...
            assertStoppedByTheBudget(p.get("noisy.test", "/?loop"));
            // ...the next request waits for the budget to refill and gets no more than that.
            assertStoppedByTheBudget(p.get("noisy.test", "/?loop"));
            assertThat(p.get("quiet.test", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void theBudgetAlsoStopsARunawayProxyWasmService() {
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: noisy
                    domains: [noisy.test]
                    limits: {cpuPerSecond: 10ms}
                    services:
                      - name: spin
                        module: "%s"
                        configuration: "loop on_request_headers"
                        timeout: 2s
                    routes: [{service: spin}]
                """
                        .formatted(WasmServiceProxyTest.fixture("hostile.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml)) {
            // Its VM keeps its 2 s deadline, but the 10 ms budget stops the call long before.
            assertStoppedByTheBudget(p.get("noisy.test", "/"));
            assertThat(
                            p.proxy
                                    .metrics()
                                    .value(
                                            "wasmesh_service_failures_total",
                                            "tenant",
                                            "noisy",
                                            "service",
                                            "spin",
                                            "reason",
                                            "wasm_cpu_budget"))
                    .isEqualTo(1);
        }
    }

    /**
     * A tenant with filters and no services: its budget is consulted as each request starts, so a
     * filter that spins to its deadline moves the tenant's Wasm to the background tier.
     */
    @Test
    void aTenantWhoseFiltersOverdrawItsBudgetRunsInTheBackground() {
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: noisy
                    domains: [noisy.test]
                    limits: {cpuPerSecond: 10ms}
                    filters:
                      - {name: spin, module: "%s", configuration: "loop on_request_headers"}
                    routes: [{match: {prefix: /}, directResponse: {status: 200, body: "ok"}}]
                  - name: quiet
                    domains: [quiet.test]
                    routes: [{match: {prefix: /}, directResponse: {status: 200, body: "ok"}}]
                """
                        .formatted(WasmServiceProxyTest.fixture("hostile.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml)) {
            assertThat(background(p, "noisy")).isZero();

            // the filter spins to its deadline (the chain fails closed)...
            assertThat(p.get("noisy.test", "/").status()).isEqualTo(503);
            // ...and the next request finds the tenant over half its budget
            p.get("noisy.test", "/");

            assertThat(background(p, "noisy")).isEqualTo(1);
            assertThat(background(p, "quiet")).isZero();
            assertThat(p.get("quiet.test", "/").status()).isEqualTo(200);
        }
    }

    /** The {@code wasmesh_wasm_background} gauge of {@code tenant} on the admin endpoint. */
    private static int background(RunningProxy p, String tenant) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(
                                "wasmesh_wasm_background\\{[^}]*tenant=\""
                                        + tenant
                                        + "\"[^}]*\\} (\\d+)")
                        .matcher(p.admin(HttpMethod.GET, "/metrics").body());
        assertThat(m.find()).as("the gauge for " + tenant).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static void assertStoppedByTheBudget(RunningProxy.Response r) {
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers().get("x-wasmesh-service-error")).isEqualTo("wasm_cpu_budget");
    }
}

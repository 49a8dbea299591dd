package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.proxy.testing.RunningProxy;
import org.junit.jupiter.api.Test;

/** A tenant's shared-data quota from the config holds for its filters. */
class TenantQuotaTest {
    static String yaml(String limits) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    limits: %s
                    filters: [{name: counter, module: "%s"}]
                    services: [{name: probe, module: "%s"}]
                    routes: [{service: probe}]
                """
                .formatted(
                        limits,
                        RunningProxy.example("c/counter.wasm"),
                        WasmServiceProxyTest.fixture("wagi_probe.wasm"));
    }

    @Test
    void aFilterCannotKeepMoreSharedDataThanItsTenantsQuota() {
        // The counter filter keeps "requests" -> "00000001" in shared data and passes the count on.
        try (RunningProxy roomy = RunningProxy.start(yaml("{}"))) {
            assertThat(roomy.get("shop.test", "/?env").body()).contains("HTTP_X_REQUEST_COUNT=1");
        }
        try (RunningProxy tight = RunningProxy.start(yaml("{sharedDataBytes: 4}"))) {
            String env = tight.get("shop.test", "/?env").body();
            assertThat(env).contains("REQUEST_METHOD=GET").doesNotContain("HTTP_X_REQUEST_COUNT");
        }
    }
}

package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.proxy.testing.RunningProxy;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy_http_call} may name the tenant's Wasm services as well as its clusters: here the C
 * {@code http_auth} filter asks a WAGI service whether to let the request through.
 */
class ServiceCallsTest {
    static String yaml(String authPath) {
        return """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters:
                      - name: auth
                        module: "%s"
                        configuration: "cluster=checker\\npath=%s"
                    services:
                      - {name: checker, module: "%s"}
                      - {name: hello, module: "%s"}
                    routes: [{service: hello}]
                  - name: other
                    domains: [other.test]
                    services: [{name: secret, module: "%s"}]
                    routes: [{service: secret}]
                """
                .formatted(
                        RunningProxy.example("c/http_auth.wasm"),
                        authPath,
                        WasmServiceProxyTest.fixture("wagi_probe.wasm"),
                        WasmServiceProxyTest.service("hello"),
                        WasmServiceProxyTest.service("hello"));
    }

    @Test
    void aFilterCallsAServiceOfItsTenantAndActsOnTheAnswer() {
        try (RunningProxy allowing = RunningProxy.start(yaml("/check?echo"))) {
            RunningProxy.Response r = allowing.get("shop.test", "/?name=friend");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).startsWith("Hello, friend!");
        }
        try (RunningProxy denying = RunningProxy.start(yaml("/check?status"))) {
            RunningProxy.Response r = denying.get("shop.test", "/?name=friend");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("nothing here\n");
        }
    }

    @Test
    void anotherTenantsServiceIsNotReachable() {
        String yaml = yaml("/check").replace("cluster=checker", "cluster=secret");
        try (RunningProxy p = RunningProxy.start(yaml)) {
            // http_call to an upstream the tenant does not have: the filter is told BAD_ARGUMENT
            // and answers 503 (auth_unavailable), never reaching tenant "other".
            assertThat(p.get("shop.test", "/").status()).isEqualTo(503);
        }
    }
}

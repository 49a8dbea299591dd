package io.wasmesh.wasm.proxywasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmesh.wasm.testing.Exchange;
import io.wasmesh.wasm.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LifecycleAndIsolationTest {

    @Test
    void callbacksRunInEnvoysOrder() {
        try (TestHost t = new TestHost()) {
            ProxyWasmPlugin plugin =
                    t.start(
                            TestHost.resource("lifecycle.wasm"),
                            TestHost.plugin("life").configuration("ok").build());
            Exchange.run(plugin);
            plugin.close();
            assertThat(t.logs())
                    .as("WASI stdout goes to the filter's log")
                    .contains("INFO hello from stdout");
            assertThat(t.logs())
                    .containsSubsequence(
                            "INFO proxy_on_context_create 1 0",
                            "INFO proxy_on_vm_start 1 0",
                            "INFO proxy_on_configure 1 2",
                            "INFO proxy_on_context_create 2 1",
                            "INFO proxy_on_request_headers 2 3 0",
                            "INFO proxy_on_request_body 2 4 1",
                            "INFO proxy_on_response_headers 2 1 0",
                            "INFO proxy_on_response_body 2 4 1",
                            "INFO proxy_on_log 2",
                            "INFO proxy_on_done 2",
                            "INFO proxy_on_delete 2",
                            "INFO proxy_on_done 1",
                            "INFO proxy_on_delete 1");
        }
    }

    @Test
    void aRefusedConfigurationSurfacesTheFiltersReason() {
        try (TestHost t = new TestHost()) {
            assertThatThrownBy(
                            () ->
                                    t.start(
                                            TestHost.resource("lifecycle.wasm"),
                                            TestHost.plugin("life")
                                                    .configuration("reject")
                                                    .build()))
                    .isInstanceOf(PluginRejectedException.class)
                    .hasMessageContaining("on_configure returned false")
                    .hasMessageContaining("rejected: bad config");
        }
    }

    @Test
    void tenantsNeverShareDataEvenWithTheSameModuleAndVmId() throws Exception {
        byte[] counter = Files.readAllBytes(Path.of("../filter-sdk/examples/c/counter.wasm"));
        try (TestHost t = new TestHost()) {
            ProxyWasmPlugin a =
                    t.start(
                            counter,
                            PluginConfig.builder("tenant-a", "counter").vmId("shared").build());
            ProxyWasmPlugin b =
                    t.start(
                            counter,
                            PluginConfig.builder("tenant-b", "counter").vmId("shared").build());
            Exchange.run(a);
            Exchange.run(a);
            Exchange x = Exchange.run(a);
            Exchange y = Exchange.run(b);
            assertThat(x.requestHeaders.get("x-request-count")).isEqualTo("3");
            assertThat(y.requestHeaders.get("x-request-count"))
                    .as("tenant B starts from its own zero")
                    .isEqualTo("1");
            assertThat(
                            new String(
                                    t.host.tenants()
                                            .tenant("tenant-a")
                                            .sharedData()
                                            .get("shared", "requests")
                                            .value()))
                    .isEqualTo("00000003");
            assertThat(t.host.tenants().tenant("tenant-b").metrics().all())
                    .singleElement()
                    .satisfies(m -> assertThat(m.value()).isEqualTo(1));
            a.close();
            b.close();
        }
    }
}

package io.wasmesh.wasm.proxywasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.wasm.testing.Exchange;
import io.wasmesh.wasm.testing.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Idle VMs are released and rebuilt on demand, but never one that a timer still needs. */
class IdleReleaseTest {
    static byte[] example(String name) throws IOException {
        return Files.readAllBytes(Path.of("..", "filter-sdk", "examples", "c", name));
    }

    @Test
    void anIdleVmIsReleasedAndTheNextStreamGetsAFreshOne() throws IOException {
        try (TestHost t = new TestHost()) {
            ProxyWasmPlugin plugin =
                    t.start(example("add_header.wasm"), TestHost.plugin("a").build());
            assertThat(Exchange.run(plugin).forwarded).isTrue();

            assertThat(plugin.releaseIdle(Duration.ofHours(1)).join()).as("recently used").isZero();
            assertThat(plugin.releaseIdle(Duration.ZERO).join()).isEqualTo(1);
            assertThat(plugin.stats().vmsReleased()).isEqualTo(1);

            Exchange again = Exchange.run(plugin);
            assertThat(again.forwarded).isTrue();
            assertThat(again.requestHeaders.get("x-wasmesh-filter")).isEqualTo("add_header");
            assertThat(plugin.stats().vmsStarted()).isEqualTo(2);
        }
    }

    @Test
    void aVmWithATickTimerIsKept() throws IOException {
        try (TestHost t = new TestHost()) {
            ProxyWasmPlugin plugin =
                    t.start(
                            example("tick.wasm"),
                            TestHost.plugin("ticker").configuration("period_ms=60000").build());
            assertThat(plugin.releaseIdle(Duration.ZERO).join()).isZero();
            assertThat(plugin.stats().vmsReleased()).isZero();
        }
    }
}

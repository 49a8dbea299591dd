package io.wasmesh.wasm.proxywasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.testing.Exchange;
import io.wasmesh.wasm.testing.TestHost;
import io.wasmesh.wasm.testing.Wat;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Modules that misbehave in every callback. Each must cost only its own request: the host stays
 * healthy and the next request, through a well-behaved plugin on the same Wasm workers, is served.
 */
class HostileModuleTest {
    static final TestHost HOST = new TestHost();
    static final byte[] HOSTILE = TestHost.resource("hostile.wasm");

    @AfterAll
    static void close() {
        HOST.close();
    }

    static final List<String> STREAM_CALLBACKS =
            List.of(
                    "on_context_create",
                    "on_request_headers",
                    "on_request_body",
                    "on_response_headers",
                    "on_response_body",
                    "on_log",
                    "on_done",
                    "on_delete");

    static Stream<Arguments> runawayInEveryCallback() {
        return Stream.of(
                        new Object[] {"loop", GuestFailure.Kind.DEADLINE_EXCEEDED},
                        new Object[] {"trap", GuestFailure.Kind.TRAP},
                        new Object[] {"recurse", GuestFailure.Kind.STACK_EXHAUSTED})
                .flatMap(m -> STREAM_CALLBACKS.stream().map(cb -> Arguments.of(m[0], cb, m[1])));
    }

    private static ProxyWasmPlugin hostile(String config) {
        return HOST.start(
                HOSTILE,
                TestHost.plugin("hostile")
                        .configuration(config)
                        .callDeadline(Duration.ofMillis(50))
                        .build());
    }

    private static void assertHostServesNextRequest() {
        ProxyWasmPlugin healthy = hostile("");
        Exchange x = Exchange.run(healthy);
        assertThat(x.forwarded).isTrue();
        assertThat(x.status()).isEqualTo(200);
        healthy.close();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource
    void runawayInEveryCallback(String mode, String callback, GuestFailure.Kind kind) {
        ProxyWasmPlugin plugin = hostile(mode + " " + callback);
        Exchange x = Exchange.run(plugin);
        boolean beforeResponseSent = !List.of("on_log", "on_done", "on_delete").contains(callback);
        if (beforeResponseSent) {
            assertThat(x.status()).as("fail-closed answer").isEqualTo(503);
            assertThat(x.last.localReply().details()).isEqualTo("wasm_plugin_failed");
        } else {
            assertThat(x.status())
                    .as("the response went out before the filter failed")
                    .isEqualTo(200);
        }
        assertThat(plugin.stats().failures(kind)).isEqualTo(1);

        // The failed VM is discarded: the same plugin serves its next request from a fresh one.
        Exchange again = Exchange.run(plugin);
        assertThat(again.status()).isEqualTo(beforeResponseSent ? 503 : 200);
        assertThat(plugin.stats().vmsStarted()).isEqualTo(2);
        plugin.close();
        assertHostServesNextRequest();
    }

    @ParameterizedTest(name = "{0} in on_configure")
    @MethodSource("modes")
    void runawayInOnConfigureFailsThePluginStart(String mode) {
        assertThatThrownBy(() -> hostile(mode + " on_configure")).isInstanceOf(GuestFailure.class);
        assertHostServesNextRequest();
    }

    static Stream<String> modes() {
        return Stream.of("loop", "trap", "recurse");
    }

    @Test
    void failOpenSkipsTheFailedFilter() {
        ProxyWasmPlugin plugin =
                HOST.start(
                        HOSTILE,
                        TestHost.plugin("hostile")
                                .configuration("trap on_request_headers")
                                .failurePolicy(FailurePolicy.FAIL_OPEN)
                                .build());
        Exchange x = Exchange.run(plugin);
        assertThat(x.forwarded).isTrue();
        assertThat(plugin.stats().requestsFailedOpen()).isEqualTo(1);
        plugin.close();
    }

    @Test
    void reloadBacksOffAfterAFailure() {
        ProxyWasmPlugin plugin =
                HOST.start(
                        HOSTILE,
                        TestHost.plugin("hostile")
                                .configuration("trap on_request_headers")
                                .failurePolicy(FailurePolicy.RELOAD)
                                .build());
        assertThat(Exchange.run(plugin).status()).isEqualTo(503);
        assertThat(Exchange.run(plugin).status())
                .as("within the backoff: no rebuild")
                .isEqualTo(503);
        assertThat(plugin.stats().vmsStarted()).isEqualTo(1);
        plugin.close();
    }

    @Test
    void memoryGrowthStopsAtTheCap() {
        ProxyWasmPlugin plugin =
                HOST.start(
                        HOSTILE,
                        TestHost.plugin("hostile")
                                .configuration("grow on_request_headers")
                                .maxMemoryPages(40)
                                .build());
        Exchange x = Exchange.run(plugin);
        assertThat(x.forwarded).isTrue();
        assertThat(HOST.logs())
                .anyMatch(
                        l ->
                                l.matches("INFO grow pages \\d+")
                                        && Integer.parseInt(l.replaceAll("\\D", "")) <= 40);
        plugin.close();
    }

    @Test
    void outOfBoundsPointersGetInvalidMemoryAccess() {
        ProxyWasmPlugin plugin = hostile("oob_ptr on_request_headers");
        assertThat(Exchange.run(plugin).forwarded).isTrue();
        assertThat(HOST.logs()).contains("INFO oob_ptr results 6 6 6");
        plugin.close();
    }

    @Test
    void hugeSizesGetInvalidMemoryAccessOrAreBounded() {
        ProxyWasmPlugin plugin = hostile("huge_size on_request_headers");
        assertThat(Exchange.run(plugin).forwarded).isTrue();
        assertThat(HOST.logs()).anyMatch(l -> l.startsWith("INFO huge_size results 0 0 6"));
        plugin.close();
    }

    @Test
    void aHugeLogMessageIsCut() {
        // Filling 4 MiB inside the guest takes a while on a cold JIT: this test is about the log,
        // not deadlines.
        ProxyWasmPlugin plugin =
                HOST.start(
                        HOSTILE,
                        TestHost.plugin("hostile")
                                .configuration("huge_log on_request_headers")
                                .callDeadline(Duration.ofSeconds(5))
                                .build());
        assertThat(Exchange.run(plugin).forwarded).isTrue();
        assertThat(HOST.logs()).anyMatch(l -> l.contains("more bytes cut") && l.length() < 20_000);
        assertThat(HOST.logs()).contains("INFO huge_log result 0");
        plugin.close();
    }

    @ParameterizedTest
    @MethodSource("allocModes")
    void aBrokenAllocatorGetsInvalidMemoryAccess(String mode) {
        ProxyWasmPlugin plugin = hostile(mode + " on_request_headers");
        assertThat(Exchange.run(plugin).forwarded).isTrue();
        assertThat(HOST.logs()).contains("INFO alloc results 6");
        plugin.close();
    }

    static Stream<String> allocModes() {
        return Stream.of("alloc_zero", "alloc_garbage");
    }

    @Test
    void anInfiniteStartSectionIsStoppedByTheDeadline() {
        byte[] wasm =
                Wat.compile(
                        """
                        (module
                          (func $spin (loop $l (br $l)))
                          (start $spin)
                          (memory (export "memory") 1)
                          (func (export "proxy_abi_version_0_2_1")))
                        """);
        assertThatThrownBy(
                        () ->
                                HOST.start(
                                        wasm,
                                        TestHost.plugin("spin")
                                                .callDeadline(Duration.ofMillis(20))
                                                .build()))
                .isInstanceOf(GuestFailure.class)
                .satisfies(
                        e ->
                                assertThat(((GuestFailure) e).kind())
                                        .isEqualTo(GuestFailure.Kind.DEADLINE_EXCEEDED));
        assertHostServesNextRequest();
    }

    @Test
    void garbageBytesAreRejectedWithAClearMessage() {
        assertThatThrownBy(
                        () ->
                                HOST.start(
                                        new byte[] {0, 'a', 's', 'm', 9, 9},
                                        TestHost.plugin("x").build()))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("not a valid Wasm module");
    }

    @Test
    void aModuleWithoutAbiMarkerIsRejected() {
        byte[] wasm = Wat.compile("(module (memory (export \"memory\") 1))");
        assertThatThrownBy(() -> HOST.start(wasm, TestHost.plugin("x").build()))
                .isInstanceOf(PluginRejectedException.class)
                .hasMessageContaining("no proxy-wasm ABI marker");
    }

    @Test
    void aModuleNeedingMoreMemoryThanTheCapIsRejected() {
        byte[] wasm =
                Wat.compile(
                        "(module (memory (export \"memory\") 100) (func (export \"proxy_abi_version_0_2_1\")))");
        assertThatThrownBy(() -> HOST.start(wasm, TestHost.plugin("x").maxMemoryPages(10).build()))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("needs 100 memory pages");
    }
}

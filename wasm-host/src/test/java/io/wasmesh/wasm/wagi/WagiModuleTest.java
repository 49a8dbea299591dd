package io.wasmesh.wasm.wagi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.tenant.SharedData;
import io.wasmesh.wasm.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A WASI command served as WAGI: CGI in, CGI out, a fresh instance per request, limits held. */
class WagiModuleTest {
    static final SharedData KV = new SharedData(1 << 20);
    static final CompiledModule PROBE = TestHost.MODULES.load(TestHost.resource("wagi_probe.wasm"));
    final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    final WagiModule probe =
            new WagiModule(
                    PROBE,
                    "probe",
                    Map.of("GREETING", "hi"),
                    new InstanceLimits(32, Duration.ofMillis(200)),
                    1 << 20,
                    stderr::add,
                    KV);

    static CgiRequest get(String query) {
        return request("GET", query, "");
    }

    static CgiRequest request(String method, String query, String body) {
        return new CgiRequest(
                method,
                "/probe",
                "/rest",
                query,
                HeaderMap.of(
                        ":authority",
                        "shop.test",
                        "x-trace",
                        "t1",
                        "authorization",
                        "secret",
                        "content-type",
                        "text/plain"),
                body.getBytes(StandardCharsets.UTF_8),
                "shop.test",
                8080,
                "10.0.0.7",
                "http");
    }

    static String body(CgiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theRequestArrivesAsCgiVariablesAndOnlyThose() {
        CgiResponse r = probe.handle(get("env"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("text/plain");
        assertThat(body(r).lines().toList())
                .contains(
                        "REQUEST_METHOD=GET",
                        "SCRIPT_NAME=/probe",
                        "PATH_INFO=/rest",
                        "QUERY_STRING=env",
                        "SERVER_NAME=shop.test",
                        "SERVER_PORT=8080",
                        "REMOTE_ADDR=10.0.0.7",
                        "CONTENT_TYPE=text/plain",
                        "HTTP_X_TRACE=t1",
                        "GREETING=hi")
                .noneMatch(line -> line.startsWith("HTTP_AUTHORIZATION"))
                .noneMatch(line -> line.startsWith("PATH=") || line.startsWith("HOME="));
    }

    @Test
    void theBodyIsStdinAndStatusLinesAreHonoured() {
        assertThat(body(probe.handle(request("POST", "echo", "ping pong")))).isEqualTo("ping pong");
        CgiResponse notFound = probe.handle(get("status"));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(body(notFound)).isEqualTo("nothing here\n");
    }

    @Test
    void thereIsNoFilesystem() {
        assertThat(body(probe.handle(get("files")))).isEqualTo("no files\n");
    }

    @ParameterizedTest
    @CsvSource({
        "loop,    DEADLINE_EXCEEDED, 504",
        "grow,    MEMORY_LIMIT,      503",
        "trap,    TRAP,              500",
        "exit3,   EXIT_CODE,         500",
        "garbage, BAD_RESPONSE,      502",
        "flood,   RESPONSE_TOO_LARGE, 502"
    })
    void misbehaviourGetsATypedFailureAndTheNextRequestIsServed(
            String mode, WagiFailure.Kind kind, int status) {
        assertThatThrownBy(() -> probe.handle(get(mode)))
                .isInstanceOfSatisfying(
                        WagiFailure.class,
                        f -> {
                            assertThat(f.kind()).isEqualTo(kind);
                            assertThat(f.kind().status()).isEqualTo(status);
                        });
        assertThat(body(probe.handle(request("POST", "echo", "still here"))))
                .isEqualTo("still here");
    }

    @Test
    void aRequestStopsWhenItsTenantsWasmTimeBudgetRunsOutBeforeItsDeadline() {
        long budgetLeft = Duration.ofMillis(20).toNanos(); // the deadline is 200 ms

        assertThatThrownBy(() -> probe.handle(get("loop"), budgetLeft))
                .isInstanceOfSatisfying(
                        WagiFailure.class,
                        f -> {
                            assertThat(f.kind()).isEqualTo(WagiFailure.Kind.CPU_BUDGET);
                            assertThat(f.kind().status()).isEqualTo(503);
                        });
        assertThat(probe.handle(get("echo"), Duration.ofSeconds(1).toNanos()).status())
                .isEqualTo(200);
    }

    @Test
    void aMemoryKeptForTheNextRequestStartsAsANewOne() {
        // The second and third requests run in the first one's memory, reset: its zeroed global
        // and its initialised one start over.
        for (int i = 0; i < 3; i++) {
            assertThat(body(probe.handle(get("visits")))).isEqualTo("1 8\n");
            assertThat(probe.keptMemories()).isEqualTo(1);
        }
    }

    @Test
    void aMemoryThatGrewIsNotKept() {
        probe.handle(get("visits"));
        assertThat(probe.keptMemories()).isEqualTo(1);

        assertThatThrownBy(() -> probe.handle(get("grow"))).isInstanceOf(WagiFailure.class);
        // it took the kept memory and grew it: that one is dropped, not kept for a bigger start
        assertThat(probe.keptMemories()).isZero();
        assertThat(body(probe.handle(get("visits")))).isEqualTo("1 8\n");
        assertThat(probe.releaseIdleMemory(Duration.ZERO)).isEqualTo(1);
        assertThat(probe.keptMemories()).isZero();
    }

    @Test
    void eachRequestGetsAFreshInstance() {
        // The probe's heap grows while it floods; a reused instance would start the next request
        // with that memory. A fresh one behaves exactly as the first.
        for (int i = 0; i < 3; i++) {
            assertThat(probe.handle(get("status")).status()).isEqualTo(404);
        }
    }

    @Test
    void theKeyValueStoreOutlivesTheInstanceAndBelongsToOneTenant() {
        CompiledModule counter =
                TestHost.MODULES.load(readFile("../services/counter/counter.wasm"));
        SharedData tenantA = new SharedData(1 << 20);
        SharedData tenantB = new SharedData(1 << 20);
        WagiModule a =
                new WagiModule(
                        counter, "a", Map.of(), InstanceLimits.DEFAULT, 4096, s -> {}, tenantA);
        WagiModule b =
                new WagiModule(
                        counter, "b", Map.of(), InstanceLimits.DEFAULT, 4096, s -> {}, tenantB);
        assertThat(body(a.handle(get("")))).isEqualTo("visits of /rest: 1\n");
        assertThat(body(a.handle(get("")))).isEqualTo("visits of /rest: 2\n");
        assertThat(body(b.handle(get("")))).isEqualTo("visits of /rest: 1\n");
        assertThat(new String(tenantA.get("", "visits:/rest").value(), StandardCharsets.UTF_8))
                .isEqualTo("2");
    }

    @Test
    void withoutAStoreTheKvImportsAnswerAnErrorInsteadOfFailing() {
        CompiledModule counter =
                TestHost.MODULES.load(readFile("../services/counter/counter.wasm"));
        WagiModule none =
                new WagiModule(counter, "n", Map.of(), InstanceLimits.DEFAULT, 4096, s -> {}, null);
        assertThat(none.handle(get("")).status()).isEqualTo(503);
    }

    static byte[] readFile(String path) {
        try {
            return java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCommandImportingAGlobalIsRefusedWithTheReason() {
        CompiledModule globalImport =
                TestHost.MODULES.load(
                        io.wasmesh.wasm.testing.Wat.compile(
                                """
                                (module
                                  (import "env" "limit" (global i32))
                                  (memory (export "memory") 1)
                                  (func (export "_start")))
                                """));
        WagiModule m =
                new WagiModule(
                        globalImport, "g", Map.of(), InstanceLimits.DEFAULT, 1024, s -> {}, null);
        assertThatThrownBy(() -> m.handle(get("")))
                .isInstanceOfSatisfying(
                        WagiFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(WagiFailure.Kind.TRAP))
                .hasMessageContaining(
                        "imports GLOBAL env.limit, which the WAGI host does not provide");
    }

    @Test
    void anImportNoHostProvidesIsAStubAnsweringEnosysAndSaidOnceInTheLog() {
        CompiledModule unknownImport =
                TestHost.MODULES.load(
                        io.wasmesh.wasm.testing.Wat.compile(
                                """
                                (module
                                  (import "env" "missing" (func $missing (result i32)))
                                  (import "wasi_snapshot_preview1" "proc_exit"
                                    (func $exit (param i32)))
                                  (memory (export "memory") 1)
                                  (func (export "_start")
                                    ;; exit with what the stub answered: ENOSYS is 52
                                    (call $exit (call $missing))))
                                """));
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        WagiModule m =
                new WagiModule(
                        unknownImport, "u", Map.of(), InstanceLimits.DEFAULT, 1024, log::add, null);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> m.handle(get("")))
                    .isInstanceOfSatisfying(
                            WagiFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(WagiFailure.Kind.EXIT_CODE))
                    .hasMessageContaining("exited with code 52");
        }
        assertThat(log).singleElement().asString().contains("env.missing", "ENOSYS");
    }

    @Test
    void aModuleWithoutStartIsNotACommand() {
        CompiledModule reactor = TestHost.MODULES.load(TestHost.resource("lifecycle.wasm"));
        assertThatThrownBy(
                        () ->
                                new WagiModule(
                                        reactor,
                                        "r",
                                        Map.of(),
                                        InstanceLimits.DEFAULT,
                                        1024,
                                        s -> {},
                                        null))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("not a WASI command");
    }
}

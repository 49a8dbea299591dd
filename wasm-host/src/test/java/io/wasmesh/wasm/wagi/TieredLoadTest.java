package io.wasmesh.wasm.wagi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.engine.ModuleDigest;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.testing.TestHost;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A service module loaded tiered answers from the interpreter before its compilation has run, with
 * the same limits, and switches to compiled code when it ends. The compiler "thread" here is a
 * queue the test drains, so which tier answers is certain.
 */
class TieredLoadTest {
    static final byte[] PROBE = TestHost.resource("wagi_probe.wasm");

    final Queue<Runnable> compilations = new ArrayDeque<>();
    final Executor compiler = compilations::add;
    final ModuleCache cache = new ModuleCache(ModuleCache.DEFAULT_MAX_MODULE_BYTES, null, compiler);

    WagiModule service(CompiledModule module) {
        return new WagiModule(
                module,
                "probe",
                Map.of("GREETING", "hi"),
                new InstanceLimits(32, Duration.ofMillis(200)),
                1 << 20,
                line -> {},
                null);
    }

    @Test
    void theFirstRequestIsAnsweredByTheInterpreterThenCompiledCodeTakesOver() {
        CompiledModule module = cache.loadTiered(PROBE);
        WagiModule probe = service(module);

        assertThat(module.isCompiled()).isFalse();
        assertThat(compilations).hasSize(1);
        CgiResponse interpreted = probe.handle(WagiModuleTest.get("echo"));
        assertThat(interpreted.status()).isEqualTo(200);

        compilations.remove().run();

        assertThat(module.isCompiled()).isTrue();
        assertThat(module.whenCompiled()).isCompletedWithValue(module);
        CgiResponse compiled = probe.handle(WagiModuleTest.get("echo"));
        assertThat(compiled.status()).isEqualTo(200);
        assertThat(compiled.body()).isEqualTo(interpreted.body());
    }

    @Test
    void theDeadlineStopsARunawayGuestInTheInterpreterToo() {
        WagiModule probe = service(cache.loadTiered(PROBE));

        assertThatThrownBy(() -> probe.handle(WagiModuleTest.get("loop")))
                .isInstanceOfSatisfying(
                        WagiFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(WagiFailure.Kind.DEADLINE_EXCEEDED));
    }

    @Test
    void aPlainLoadWaitsForTheBackgroundCompilationOfTheSameBytes() {
        CompiledModule tiered = cache.loadTiered(PROBE);
        CompletableFuture<CompiledModule> plain =
                CompletableFuture.supplyAsync(() -> cache.load(PROBE));

        compilations.remove().run();

        assertThat(plain.join()).isSameAs(tiered);
        assertThat(tiered.isCompiled()).isTrue();
        assertThat(compilations).isEmpty();
    }

    @Test
    void aCompiledModuleIsNotCompiledAgainNorInterpreted() {
        CompiledModule compiled = cache.load(PROBE);

        assertThat(cache.loadTiered(PROBE)).isSameAs(compiled);
        assertThat(compiled.isCompiled()).isTrue();
        assertThat(compilations).isEmpty();
    }

    @Test
    void invalidBytesOrAWrongDigestAreRefusedBeforeAnythingIsQueued() {
        assertThatThrownBy(() -> cache.loadTiered(new byte[] {0, 'a', 's', 'm', 9, 9}))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("not a valid Wasm module");
        assertThatThrownBy(() -> cache.loadTiered(PROBE, ModuleDigest.of(new byte[] {1})))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("digest mismatch");
        assertThat(compilations).isEmpty();
    }
}

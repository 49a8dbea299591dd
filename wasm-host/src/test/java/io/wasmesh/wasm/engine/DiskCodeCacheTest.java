package io.wasmesh.wasm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.wasm.testing.Wat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.endive.runtime.Instance;

/** Compiled code survives a restart: a second cache over the same folder loads it instead. */
class DiskCodeCacheTest {
    static final byte[] ADD =
            Wat.compile(
                    """
                    (module
                      (func (export "add") (param i32 i32) (result i32)
                        (i32.add (local.get 0) (local.get 1))))
                    """);

    static long add(CompiledModule m, int a, int b) {
        Instance i = m.instantiate(List.of(), InstanceLimits.DEFAULT);
        return GuestCall.invoke(i, i.export("add"), System.nanoTime() + 1_000_000_000L, a, b)[0];
    }

    @Test
    void aSecondProcessLoadsWhatTheFirstCompiled(@TempDir Path dir) throws IOException {
        DiskCodeCache first = new DiskCodeCache(dir);
        assertThat(add(new ModuleCache(1 << 20, first).load(ADD), 2, 3)).isEqualTo(5);
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.hits()).isZero();

        // A new cache object over the same folder stands for a restarted proxy.
        DiskCodeCache second = new DiskCodeCache(dir);
        assertThat(add(new ModuleCache(1 << 20, second).load(ADD), 40, 2)).isEqualTo(42);
        assertThat(second.hits()).as("loaded, not compiled").isEqualTo(1);
    }

    @Test
    void theFolderIsPrivateAndPartialWritesLeaveNothing(@TempDir Path dir) throws IOException {
        DiskCodeCache cache = new DiskCodeCache(dir.resolve("code"));
        cache.putIfAbsent("sha-256:abc/def+=", new byte[] {1, 2, 3});
        cache.putIfAbsent("sha-256:abc/def+=", new byte[] {9});
        assertThat(cache.get("sha-256:abc/def+=")).containsExactly(1, 2, 3);
        assertThat(cache.get("missing")).isNull();
        try (var files = Files.walk(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("partial-"));
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("code")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
}

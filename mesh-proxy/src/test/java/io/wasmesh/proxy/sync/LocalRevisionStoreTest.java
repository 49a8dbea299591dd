package io.wasmesh.proxy.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's disk store: digests are checked, names cannot escape, tenants round-trip. */
class LocalRevisionStoreTest {
    @TempDir Path dir;

    @Test
    void aModuleWhoseBytesDoNotMatchItsDigestIsRefusedAndNotWritten() throws IOException {
        LocalRevisionStore store = new LocalRevisionStore(dir);
        byte[] bytes = "\0asm-not-really".getBytes(StandardCharsets.UTF_8);
        String right = LocalRevisionStore.sha256(bytes);
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> store.saveModule(wrong, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("digest mismatch");
        assertThat(store.hasModule(wrong)).isFalse();
        try (var files = Files.list(store.modulesDir())) {
            assertThat(files).isEmpty();
        }
        store.saveModule(right, bytes);
        assertThat(store.hasModule(right)).isTrue();
        assertThat(Files.readAllBytes(store.modulesDir().resolve(right + ".wasm")))
                .isEqualTo(bytes);
    }

    @Test
    void namesThatAreNotDigestsOrTenantNamesCannotReachOutsideTheStore() throws IOException {
        LocalRevisionStore store = new LocalRevisionStore(dir);
        assertThatThrownBy(() -> store.hasModule("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.saveTenant("../evil", 1, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantsRoundTripAndCanBeRemoved() throws IOException {
        LocalRevisionStore store = new LocalRevisionStore(dir);
        store.saveTenant("shop", 7, "{\"name\":\"shop\",\"domains\":[\"shop.test\"]}");
        store.saveTenant("blog", 2, "{\"name\":\"blog\",\"domains\":[\"blog.test\"]}");
        var loaded = new LocalRevisionStore(dir).loadTenants();
        assertThat(loaded).containsOnlyKeys("shop", "blog");
        assertThat(loaded.get("shop").revision()).isEqualTo(7);
        assertThat(loaded.get("shop").tenantJson()).contains("shop.test");
        store.removeTenant("shop");
        assertThat(store.loadTenants()).containsOnlyKeys("blog");
    }
}

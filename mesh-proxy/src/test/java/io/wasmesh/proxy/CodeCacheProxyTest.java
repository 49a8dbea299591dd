package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.proxy.testing.RunningProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a code cache, a restarted proxy finds its modules' compiled code on disk. */
class CodeCacheProxyTest {
    @Test
    void compiledFiltersAreKeptForTheNextStart(@TempDir Path dir) throws IOException {
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters: [{name: tag, module: "%s"}]
                    routes: [{directResponse: {status: 200}}]
                """
                        .formatted(RunningProxy.example("c/add_header.wasm"));
        Path cache = dir.resolve("code");
        try (RunningProxy p =
                RunningProxy.start(yaml, RunningProxy.options().withCodeCache(cache))) {
            assertThat(p.get("shop.test", "/").headers().get("x-powered-by")).isEqualTo("wasmesh");
        }
        long files;
        try (var walk = Files.walk(cache)) {
            files = walk.filter(f -> f.toString().endsWith(".jar")).count();
        }
        assertThat(files).isEqualTo(1);
        try (RunningProxy again =
                RunningProxy.start(yaml, RunningProxy.options().withCodeCache(cache))) {
            assertThat(again.get("shop.test", "/").headers().get("x-powered-by"))
                    .isEqualTo("wasmesh");
        }
    }
}

package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files a configuration names are relative to its own directory, and absolute in the model. */
class ModulePathsTest {

    private static final String CONFIG =
            """
            listeners:
              - name: https
                port: 8443
                protocols: [http1, h2]
                tls: {certPath: ../certs/proxy.pem, keyPath: ../certs/./proxy.key}
            tenants:
              - name: t
                domains: [t.test]
                filters: [{name: f, module: modules/filter.wasm}]
                services: [{name: s, module: {path: ./modules/../modules/service.wasm, sha256: "%s"}}]
            """
                    .formatted("0".repeat(64));

    @Test
    void resolvedAgainstTheFilesDirectory(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(conf.resolve("modules"));
        Files.createDirectories(dir.resolve("certs"));
        for (Path file :
                new Path[] {
                    conf.resolve("modules/filter.wasm"),
                    conf.resolve("modules/service.wasm"),
                    dir.resolve("certs/proxy.pem"),
                    dir.resolve("certs/proxy.key")
                }) {
            Files.write(file, new byte[] {0});
        }
        Files.writeString(conf.resolve("mesh.yaml"), CONFIG);

        // A relative name for the file itself: resolution must not depend on the working directory.
        MeshConfig config = ConfigLoader.load(dir.resolve("conf/../conf/mesh.yaml"));

        TenantConfig t = config.tenant("t");
        Path root = dir.toAbsolutePath().normalize();
        assertThat(t.filter("f").module().path())
                .isEqualTo(root.resolve("conf/modules/filter.wasm").toString());
        assertThat(t.service("s").module())
                .isEqualTo(
                        new ModuleRef(
                                root.resolve("conf/modules/service.wasm").toString(),
                                "0".repeat(64)));
        assertThat(config.listeners().get(0).tls())
                .isEqualTo(
                        new TlsConfig(
                                root.resolve("certs/proxy.pem").toString(),
                                root.resolve("certs/proxy.key").toString()));
    }

    @Test
    void parseResolvesAgainstTheGivenDirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.write(dir.resolve("modules/filter.wasm"), new byte[] {0});
        String yaml =
                """
                listeners: [{name: http, port: 80}]
                tenants: [{name: t, domains: [t.test], filters: [{name: f, module: modules/filter.wasm}]}]
                """;

        MeshConfig config = ConfigLoader.parse(yaml, "inline", Format.YAML, dir);

        assertThat(config.tenant("t").filter("f").module().path())
                .isEqualTo(dir.toAbsolutePath().resolve("modules/filter.wasm").toString());
    }

    @Test
    void missingFilesAreErrorsWithTheirAbsolutePath(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf/modules/service.wasm"));
        Files.writeString(dir.resolve("conf/mesh.yaml"), CONFIG);
        Path root = dir.toAbsolutePath().normalize();
        String file = dir.resolve("conf/mesh.yaml").toString();

        assertThat(ConfigLoaderErrors.of(() -> ConfigLoader.load(dir.resolve("conf/mesh.yaml"))))
                .containsExactly(
                        file
                                + ":5:21: listeners[0].tls.certPath: file not found: "
                                + root.resolve("certs/proxy.pem"),
                        file
                                + ":5:50: listeners[0].tls.keyPath: file not found: "
                                + root.resolve("certs/proxy.key"),
                        file
                                + ":9:33: tenants[0].filters[0].module: file not found: "
                                + root.resolve("conf/modules/filter.wasm"),
                        file
                                + ":10:41: tenants[0].services[0].module.path: not a file: "
                                + root.resolve("conf/modules/service.wasm"));
    }
}

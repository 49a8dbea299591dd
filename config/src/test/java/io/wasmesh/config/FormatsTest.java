package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML and JSON are two spellings of one model; the model's own JSON is a third. */
class FormatsTest {

    private static final String YAML =
            """
            version: v1
            listeners:
              - name: http
                port: 8080
            tenants:
              - name: shop
                domains: [Shop.Localhost]
                filters:
                  - name: tag
                    module: ../filter-sdk/examples/c/add_header.wasm
                    configuration:
                      add: [x-a, x-b]
                      debug: true
                routes:
                  - match:
                      prefix: /api
                      methods: [get]
                    weightedClusters: [a, {name: b, weight: 3}]
                    retries: {attempts: 2, perTryTimeout: 1.5s}
                  - directResponse: {status: 404, body: nope}
                clusters:
                  - name: a
                    endpoints: ["10.0.0.1:80"]
                  - name: b
                    endpoints: [{host: 10.0.0.2, port: 80, weight: 0}, "[::1]:81"]
            """;

    private static final String JSON =
            """
            {
              "$schema": "../schema/wasmesh-config.schema.json",
              "version": "v1",
              "listeners": [{"name": "http", "port": 8080}],
              "tenants": [{
                "name": "shop",
                "domains": ["Shop.Localhost"],
                "filters": [{
                  "name": "tag",
                  "module": "../filter-sdk/examples/c/add_header.wasm",
                  "configuration": {"add": ["x-a", "x-b"], "debug": true}
                }],
                "routes": [
                  {
                    "match": {"prefix": "/api", "methods": ["get"]},
                    "weightedClusters": ["a", {"name": "b", "weight": 3}],
                    "retries": {"attempts": 2, "perTryTimeout": "1.5s"}
                  },
                  {"directResponse": {"status": 404, "body": "nope"}}
                ],
                "clusters": [
                  {"name": "a", "endpoints": ["10.0.0.1:80"]},
                  {"name": "b", "endpoints": [{"host": "10.0.0.2", "port": 80, "weight": 0}, "[::1]:81"]}
                ]
              }]
            }
            """;

    @Test
    void yamlAndJsonGiveEqualModels() throws ConfigException {
        MeshConfig fromYaml = Configs.yaml(YAML);
        MeshConfig fromJson = Configs.json(JSON);

        assertThat(fromJson).isEqualTo(fromYaml);
        assertThat(fromYaml.tenant("shop").domains()).containsExactly("shop.localhost");
        assertThat(fromYaml.tenant("shop").routes().get(0).match().methods())
                .containsExactly("GET");
    }

    @Test
    void toJsonLoadsBackIntoAnEqualModel() throws ConfigException {
        MeshConfig config = Configs.yaml(YAML);

        String json = config.toJson();

        assertThat(Configs.json(json)).isEqualTo(config);
        assertThat(json).contains("\"perTryTimeout\" : \"1500ms\"").doesNotContain("null");
    }

    @Test
    void toJsonIsStable() throws ConfigException {
        assertThat(Configs.yaml(YAML).toJson()).isEqualTo(Configs.json(JSON).toJson());
    }

    @Test
    void loadPicksTheFormatByExtension(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("filter-sdk/examples/c"));
        Files.copy(
                Configs.MODULE_DIR.resolve(Configs.ADD_HEADER_WASM),
                dir.resolve("filter-sdk/examples/c/add_header.wasm"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("mesh.yml"), YAML);
        Files.writeString(conf.resolve("mesh.json"), JSON);

        assertThat(ConfigLoader.load(conf.resolve("mesh.json")))
                .isEqualTo(ConfigLoader.load(conf.resolve("mesh.yml")));
    }

    @Test
    void formatOfFileName() {
        assertThat(Format.of(Path.of("a/b.YAML"))).contains(Format.YAML);
        assertThat(Format.of(Path.of("b.yml"))).contains(Format.YAML);
        assertThat(Format.of(Path.of("b.json"))).contains(Format.JSON);
        assertThat(Format.of(Path.of("b.toml"))).isEmpty();
    }

    @Test
    void aYamlDocumentMayNameItsSchemaAndANumericVersion() throws ConfigException {
        MeshConfig config =
                Configs.yaml(
                        """
                        $schema: ../schema/wasmesh-config.schema.json
                        version: 1.5
                        listeners: [{name: http, port: 0}]
                        admin: {port: 0}
                        """);

        assertThat(config.version()).isEqualTo("1.5");
        assertThat(config.admin()).isEqualTo(new AdminConfig("127.0.0.1", 0));
        assertThat(config.listeners().get(0).port()).isZero();
        assertThat(config.tenants()).isEmpty();
    }
}

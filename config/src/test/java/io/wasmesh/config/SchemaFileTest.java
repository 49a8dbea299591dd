package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The published schema: what editors read, and what the loader validates against. */
class SchemaFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static byte[] resource;
    private static JsonNode schema;

    @BeforeAll
    static void readSchema() throws IOException {
        try (InputStream in =
                ConfigLoader.class.getResourceAsStream("wasmesh-config.schema.json")) {
            resource = in.readAllBytes();
        }
        schema = JSON.readTree(resource);
    }

    @Test
    void thePublishedCopyIsTheOneTheLoaderUses() throws IOException {
        assertThat(
                        Files.readAllBytes(
                                Configs.MODULE_DIR.resolve("schema/wasmesh-config.schema.json")))
                .isEqualTo(resource);
    }

    @Test
    void draft2020_12() {
        assertThat(schema.path("$schema").asText())
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void everyObjectRefusesUnknownFieldsAndDescribesEachField() {
        List<String> problems = new ArrayList<>();
        objects(schema, "#", problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyPatternIsAJavaRegex() {
        List<String> patterns = new ArrayList<>();
        schema.findValues("pattern").forEach(p -> patterns.add(p.asText()));
        assertThat(patterns).hasSizeGreaterThan(10).allSatisfy(Pattern::compile);
    }

    /** A default stated for an object must be what the records apply when it is left out. */
    @Test
    void objectDefaultsAreTheRecordsDefaults() throws ConfigException {
        String bare =
                """
                {"listeners": [{"name": "http", "port": 80}],
                 "tenants": [{"name": "t", "domains": ["t.test"],
                   "routes": [{"cluster": "a"}],
                   "clusters": [{"name": "a", "endpoints": ["a:1"]}]}]}
                """;
        ObjectNode explicit = (ObjectNode) readTree(bare);
        explicit.set("admin", defaultOf("/properties/admin"));
        ObjectNode tenant = (ObjectNode) explicit.get("tenants").get(0);
        tenant.set("limits", defaultOf("/$defs/Tenant/properties/limits"));
        ((ObjectNode) tenant.get("routes").get(0))
                .set("match", defaultOf("/$defs/Route/properties/match"));
        ((ObjectNode) tenant.get("routes").get(0))
                .set("filters", defaultOf("/$defs/Route/properties/filters"));
        ObjectNode cluster = (ObjectNode) tenant.get("clusters").get(0);
        cluster.set("retryBudget", defaultOf("/$defs/Cluster/properties/retryBudget"));
        cluster.set("circuitBreaker", defaultOf("/$defs/Cluster/properties/circuitBreaker"));

        assertThat(Configs.json(explicit.toString())).isEqualTo(Configs.json(bare));
    }

    private static JsonNode defaultOf(String pointer) {
        JsonNode d = schema.at(pointer + "/default");
        assertThat(d.isObject()).as(pointer).isTrue();
        return d;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void objects(JsonNode node, String at, List<String> problems) {
        if (node.isObject() && node.has("properties")) {
            JsonNode additional = node.get("additionalProperties");
            if (additional == null
                    || !additional.equals(JSON.getNodeFactory().booleanNode(false))) {
                problems.add(at + ": additionalProperties is not false");
            }
            for (Map.Entry<String, JsonNode> p : node.get("properties").properties()) {
                if (!p.getValue().has("description")) {
                    problems.add(at + "/properties/" + p.getKey() + ": no description");
                }
            }
        }
        if (node.isContainerNode()) {
            for (Map.Entry<String, JsonNode> child : node.properties()) {
                objects(child.getValue(), at + "/" + child.getKey(), problems);
            }
            for (int i = 0; node.isArray() && i < node.size(); i++) {
                objects(node.get(i), at + "/" + i, problems);
            }
        }
    }
}

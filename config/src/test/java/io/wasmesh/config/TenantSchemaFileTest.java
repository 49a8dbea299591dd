package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmesh.config.internal.schema.ConfigSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published schema of tenant documents, {@code schema/wasmesh-tenant.schema.json}, is derived
 * from {@code $defs/TenantDocument} of the main schema; the loader validates with the same
 * derivation. Edit the main schema, then regenerate it: {@code mvn -pl config test
 * -Dtest=TenantSchemaFileTest -Dwasmesh.writeSchemas=true}.
 */
class TenantSchemaFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PUBLISHED =
            Configs.MODULE_DIR.resolve("schema/wasmesh-tenant.schema.json");

    private static JsonNode main;
    private static JsonNode published;

    @BeforeAll
    static void readSchemas() throws IOException {
        try (InputStream in =
                ConfigLoader.class.getResourceAsStream("wasmesh-config.schema.json")) {
            main = JSON.readTree(in);
        }
        if (Boolean.getBoolean("wasmesh.writeSchemas")) {
            Files.writeString(PUBLISHED, text(ConfigSchema.tenantDocument().document()));
        }
        published = JSON.readTree(PUBLISHED.toFile());
    }

    @Test
    void thePublishedFileIsTheOneTheLoaderUses() throws IOException {
        assertThat(Files.readString(PUBLISHED))
                .as(
                        "%s is out of date: mvn -pl config test -Dtest=TenantSchemaFileTest"
                                + " -Dwasmesh.writeSchemas=true",
                        PUBLISHED)
                .isEqualTo(text(ConfigSchema.tenantDocument().document()));
    }

    @Test
    void itIsTheTenantDocumentDefinitionWithTheMainSchemasDefinitions() {
        JsonNode definition = main.at("/$defs/TenantDocument");
        assertThat(published.get("$schema")).isEqualTo(main.get("$schema"));
        assertThat(published.get("title").asText()).isEqualTo("wasmesh tenant document");
        assertThat(published.get("properties")).isEqualTo(definition.get("properties"));
        assertThat(published.get("additionalProperties").asBoolean()).isFalse();

        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> def : published.get("$defs").properties()) {
            if (!def.getValue().equals(main.get("$defs").get(def.getKey()))) {
                changed.add(def.getKey());
            }
        }
        assertThat(changed).containsExactly("ModuleRef");
    }

    @Test
    void modulesAreByDigestOnly() {
        assertThat(published.at("/$defs/ModuleRef")).isEqualTo(main.at("/$defs/ModuleDigest"));
        assertThat(published.at("/$defs/ModuleDigest").isMissingNode()).isTrue();
    }

    /** What a tenant owns is what a tenant entry of a mesh file holds, field for field. */
    @Test
    void aDocumentHoldsATenantsOwnFieldsAndRefusesTheOperators() {
        JsonNode document = main.at("/$defs/TenantDocument/properties");
        JsonNode tenant = main.at("/$defs/Tenant/properties");
        List<String> own = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : tenant.properties()) {
            JsonNode inDocument = document.get(p.getKey());
            if (inDocument.has("not")) {
                refused.add(p.getKey());
            } else {
                assertThat(inDocument).as(p.getKey()).isEqualTo(p.getValue());
                own.add(p.getKey());
            }
        }
        assertThat(own).containsExactly("filters", "routes", "clusters", "services");
        assertThat(refused).containsExactly("name", "domains", "limits");
        assertThat(document.size()).isEqualTo(tenant.size() + 1); // and $schema
    }

    @Test
    void everyReferenceResolvesInTheFileItself() {
        List<String> unresolved = new ArrayList<>();
        for (JsonNode ref : published.findValues("$ref")) {
            if (published.at(ref.asText().substring(1)).isMissingNode()) {
                unresolved.add(ref.asText());
            }
        }
        assertThat(unresolved).isEmpty();
        assertThat(published.get("$defs").has("Listener")).as("only what it reaches").isFalse();
    }

    /** Two-space indents, "key": value, LF line ends, and a final newline. */
    private static String text(JsonNode schema) {
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter(
                                Separators.createDefaultInstance()
                                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}

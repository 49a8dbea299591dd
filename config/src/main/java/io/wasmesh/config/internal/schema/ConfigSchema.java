package io.wasmesh.config.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.wasmesh.config.internal.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The published JSON Schema of the configuration (draft 2020-12), compiled once for each kind of
 * document the loader reads: a whole mesh file, and three of its definitions on their own (a
 * tenant, a tenant's limits, a tenant document).
 */
public final class ConfigSchema {

    /** The schema on the class path, next to the model. */
    public static final String RESOURCE = "/io/wasmesh/config/wasmesh-config.schema.json";

    /** VS Code's keyword that keeps a refused field out of completions. */
    private static final String DO_NOT_SUGGEST = "doNotSuggest";

    private static final JsonNode MAIN = read();
    private static final ConfigSchema MESH = compile(MAIN);
    private static final ConfigSchema TENANT =
            compile(StandaloneSchema.of(MAIN, "Tenant", Map.of()));
    private static final ConfigSchema LIMITS =
            compile(StandaloneSchema.of(MAIN, "TenantLimits", Map.of()));
    // The control plane has no files: every module of a tenant document is by digest.
    private static final ConfigSchema TENANT_DOCUMENT =
            compile(
                    StandaloneSchema.of(
                            MAIN, "TenantDocument", Map.of("ModuleRef", "ModuleDigest")));

    private final JsonNode document;
    private final JsonSchema schema;

    private ConfigSchema(JsonNode document, JsonSchema schema) {
        this.document = document;
        this.schema = schema;
    }

    /** A whole mesh file. */
    public static ConfigSchema mesh() {
        return MESH;
    }

    /** One tenant object, as in a mesh file's {@code tenants}. */
    public static ConfigSchema tenant() {
        return TENANT;
    }

    /** A tenant's {@code limits} object. */
    public static ConfigSchema limits() {
        return LIMITS;
    }

    /**
     * What a tenant applies through the control plane; published as {@code
     * wasmesh-tenant.schema.json}.
     */
    public static ConfigSchema tenantDocument() {
        return TENANT_DOCUMENT;
    }

    /** The schema as JSON: the messages and the defaults come from it. */
    public JsonNode document() {
        return document;
    }

    /** Reports every place where {@code config} breaks the schema. */
    public void validate(JsonNode config, Problems problems) {
        SchemaMessages messages = new SchemaMessages(document, problems);
        for (ValidationMessage m : schema.validate(config)) {
            messages.report(m);
        }
    }

    /**
     * Follows local references ({@code #/$defs/Name}, the only kind the schema has) from {@code
     * subschema} to the schema that holds its keywords.
     */
    static JsonNode resolve(JsonNode schema, JsonNode subschema) {
        JsonNode s = subschema;
        while (s.has("$ref")) {
            s = schema.at(s.get("$ref").asText().substring(1));
        }
        return s;
    }

    private static JsonNode read() {
        try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConfigSchema compile(JsonNode document) {
        // The keywords only editors act on (VS Code's) are annotations here: SchemaMessages
        // reads the messages itself.
        JsonMetaSchema metaSchema =
                JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .keyword(new AnnotationKeyword(SchemaMessages.PATTERN_MESSAGE))
                        .keyword(new AnnotationKeyword(SchemaMessages.MESSAGE))
                        .keyword(new AnnotationKeyword(DO_NOT_SUGGEST))
                        .build();
        JsonSchemaFactory factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V202012, b -> b.metaSchema(metaSchema));
        JsonSchema schema = factory.getSchema(document, SchemaValidatorsConfig.builder().build());
        schema.initializeValidators();
        return new ConfigSchema(document, schema);
    }
}

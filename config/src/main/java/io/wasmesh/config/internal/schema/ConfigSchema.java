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

/** The published JSON Schema of the configuration (draft 2020-12), compiled once. */
public final class ConfigSchema {

    /** The schema on the class path, next to the model. */
    public static final String RESOURCE = "/io/wasmesh/config/wasmesh-config.schema.json";

    private static final ConfigSchema INSTANCE = load();

    private final JsonNode document;
    private final JsonSchema schema;

    private ConfigSchema(JsonNode document, JsonSchema schema) {
        this.document = document;
        this.schema = schema;
    }

    public static ConfigSchema get() {
        return INSTANCE;
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

    private static ConfigSchema load() {
        JsonNode document;
        try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            document = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The messages editors show (VS Code's keywords) are annotations here: SchemaMessages
        // reads them itself.
        JsonMetaSchema metaSchema =
                JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .keyword(new AnnotationKeyword(SchemaMessages.PATTERN_MESSAGE))
                        .keyword(new AnnotationKeyword(SchemaMessages.MESSAGE))
                        .build();
        JsonSchemaFactory factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V202012, b -> b.metaSchema(metaSchema));
        JsonSchema schema = factory.getSchema(document, SchemaValidatorsConfig.builder().build());
        schema.initializeValidators();
        return new ConfigSchema(document, schema);
    }
}

package io.wasmesh.config.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Fills in the schema's defaults for absent fields, so what editors show as the default is what the
 * loader uses. Needed because a record cannot tell an absent {@code int} from 0, and 0 is a valid
 * value of many fields (an admin port, a weight, retry attempts). Only scalar and array defaults
 * are copied: an absent object is left to the record's constructor, which knows its defaults.
 */
public final class SchemaDefaults {

    private final JsonNode schema;

    private SchemaDefaults(JsonNode schema) {
        this.schema = schema;
    }

    /** Fills {@code config} (valid against the schema) in place. */
    public static void apply(JsonNode config, JsonNode schema) {
        SchemaDefaults defaults = new SchemaDefaults(schema);
        defaults.fill(config, schema);
    }

    private void fill(JsonNode node, JsonNode nodeSchema) {
        JsonNode s = resolve(nodeSchema);
        if (node.isArray()) {
            JsonNode items = s.path("items");
            node.forEach(item -> fill(item, items));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) node;
        JsonNode properties = s.path("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode defaultValue = defaultOf(property.getValue());
            if (!object.has(property.getKey())
                    && defaultValue != null
                    && !defaultValue.isObject()) {
                object.set(property.getKey(), defaultValue.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode fieldSchema = properties.get(field.getKey());
            fill(
                    field.getValue(),
                    fieldSchema != null ? fieldSchema : s.path("additionalProperties"));
        }
    }

    /** A property's default: on the property, or on the definition it refers to. */
    private JsonNode defaultOf(JsonNode propertySchema) {
        JsonNode own = propertySchema.get("default");
        return own != null ? own : resolve(propertySchema).get("default");
    }

    private JsonNode resolve(JsonNode s) {
        return ConfigSchema.resolve(schema, s);
    }
}

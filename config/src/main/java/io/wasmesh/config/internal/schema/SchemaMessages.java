package io.wasmesh.config.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import io.wasmesh.config.internal.ConfigPaths;
import io.wasmesh.config.internal.Problems;
import io.wasmesh.config.internal.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the validator's messages into messages for people: {@code unknown field 'prefx' (did you
 * mean 'prefix'?)} rather than "property 'prefx' is not defined in the schema and the schema does
 * not allow additional properties". A message the schema itself gives (for a pattern, say) wins.
 */
final class SchemaMessages {

    /** VS Code's keyword for the message of a failed {@code pattern}. */
    static final String PATTERN_MESSAGE = "patternErrorMessage";

    /** VS Code's keyword for the message of any failure of a (sub)schema. */
    static final String MESSAGE = "errorMessage";

    private final JsonNode schema;
    private final Problems problems;

    SchemaMessages(JsonNode schema, Problems problems) {
        this.schema = schema;
        this.problems = problems;
    }

    void report(ValidationMessage m) {
        String path = path(m.getInstanceLocation());
        JsonNode owner = owningSchema(m);
        JsonNode value = m.getInstanceNode();
        switch (m.getType()) {
            case "additionalProperties" -> {
                String field = m.getProperty();
                problems.atKey(
                        ConfigPaths.field(path, field),
                        "unknown field '"
                                + field
                                + "'"
                                + Suggestions.didYouMean(field, propertyNames(owner)));
            }
            case "required" ->
                    problems.atValueOf(
                            path,
                            ConfigPaths.field(path, m.getProperty()),
                            "required field is missing");
            case "type" ->
                    problems.at(
                            path,
                            given(
                                    owner,
                                    MESSAGE,
                                    "must be "
                                            + typeNames(owner.path("type"))
                                            + ", not "
                                            + typeName(value)));
            case "pattern" ->
                    problems.at(
                            path,
                            given(
                                    owner,
                                    PATTERN_MESSAGE,
                                    given(
                                            owner,
                                            MESSAGE,
                                            "must match " + owner.path("pattern").asText())));
            case "enum" -> {
                List<String> allowed = enumValues(owner);
                String got = value.isTextual() ? value.asText() : value.toString();
                problems.at(
                        path,
                        "must be one of "
                                + String.join(", ", allowed)
                                + ", not '"
                                + got
                                + "'"
                                // A misspelt word has a neighbour; a wrong number does not.
                                + (value.isTextual() ? Suggestions.didYouMean(got, allowed) : ""));
            }
            case "not" ->
                    // A field the schema refuses by name ("not": {}), with its reason: placed at
                    // its key, like an unknown field.
                    problems.atKey(path, given(owner, MESSAGE, m.getMessage()));
            case "minimum" -> problems.at(path, "must be at least " + owner.path("minimum"));
            case "maximum" -> problems.at(path, "must be at most " + owner.path("maximum"));
            case "minItems" ->
                    problems.at(path, atLeast(owner.path("minItems").asInt(), "item", "items"));
            case "minLength" ->
                    problems.at(
                            path,
                            atLeast(owner.path("minLength").asInt(), "character", "characters"));
            case "minProperties" ->
                    problems.at(
                            path,
                            "must set at least one of " + String.join(", ", propertyNames(owner)));
            case "uniqueItems" -> problems.at(path, "must not list an item twice");
            case "propertyNames" -> {
                // A map key (a filter name, a header name): only patterns constrain them.
                String key = m.getProperty();
                JsonNode keySchema = ConfigSchema.resolve(schema, owner.path("propertyNames"));
                problems.atKey(
                        ConfigPaths.field(path, key),
                        "invalid name '"
                                + key
                                + "': "
                                + given(
                                        keySchema,
                                        PATTERN_MESSAGE,
                                        String.valueOf(m.getArguments()[1])));
            }
            default -> problems.at(path, m.getError());
        }
    }

    /** The (sub)schema whose keyword failed: its location without the keyword. */
    private JsonNode owningSchema(ValidationMessage m) {
        JsonNodePath keyword = m.getSchemaLocation().getFragment();
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < keyword.getNameCount() - 1; i++) {
            String name = String.valueOf(keyword.getElement(i));
            pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
        }
        return schema.at(pointer.toString());
    }

    private static String path(JsonNodePath location) {
        String path = ConfigPaths.ROOT;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path =
                    element instanceof Integer index
                            ? ConfigPaths.index(path, index)
                            : ConfigPaths.field(path, String.valueOf(element));
        }
        return path;
    }

    private static String given(JsonNode owner, String keyword, String fallback) {
        JsonNode message = owner.get(keyword);
        return message != null && message.isTextual() ? message.asText() : fallback;
    }

    /** The fields an object may have: not the editors' $schema, not the ones it refuses. */
    private static List<String> propertyNames(JsonNode owner) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : owner.path("properties").properties()) {
            if (!p.getValue().has("not")) {
                names.add(p.getKey());
            }
        }
        names.remove("$schema");
        return names;
    }

    private static List<String> enumValues(JsonNode owner) {
        List<String> values = new ArrayList<>();
        owner.path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String atLeast(int n, String one, String many) {
        return n == 1 ? "must not be empty" : "must have at least " + n + " " + many;
    }

    private static String typeNames(JsonNode type) {
        if (type.isArray()) {
            List<String> names = new ArrayList<>();
            type.forEach(t -> names.add(article(t.asText())));
            return names.stream().collect(Collectors.joining(" or "));
        }
        return article(type.asText());
    }

    private static String typeName(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isTextual()) {
            return "a string ('" + value.asText() + "')";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value.asText() + ")";
        }
        if (value.isIntegralNumber()) {
            return "an integer (" + value.asText() + ")";
        }
        return "a number (" + value.asText() + ")";
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }
}

package io.wasmesh.config.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One definition of the main schema as a schema of its own: its keywords at the root, and under
 * {@code $defs} every definition it reaches. References keep their {@code #/$defs/Name} form, so
 * the validator's schema locations still name the definitions, and the main schema stays the one
 * text to edit.
 */
final class StandaloneSchema {

    private static final String DEFS_REF = "#/$defs/";

    private StandaloneSchema() {}

    /**
     * @param replacing definitions to swap, by name: {@code ModuleRef -> ModuleDigest} gives every
     *     reference to {@code ModuleRef} the keywords of {@code ModuleDigest}
     */
    static ObjectNode of(JsonNode main, String definition, Map<String, String> replacing) {
        JsonNode defs = main.get("$defs");
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("$schema", main.get("$schema"));
        root.setAll((ObjectNode) defs.get(definition).deepCopy());
        // Replaces the definition's own comment, which is about the main schema.
        root.put(
                "$comment",
                "Derived from $defs/"
                        + definition
                        + " of wasmesh-config.schema.json: edit that file, not this one.");
        Set<String> reached = reached(root, defs, replacing);
        ObjectNode own = root.putObject("$defs");
        // In the main schema's order, so the text is stable.
        for (Iterator<String> names = defs.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (reached.contains(name)) {
                own.set(name, defs.get(replacing.getOrDefault(name, name)).deepCopy());
            }
        }
        return root;
    }

    private static Set<String> reached(
            JsonNode root, JsonNode defs, Map<String, String> replacing) {
        Set<String> reached = new HashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            for (JsonNode ref : pending.pop().findValues("$ref")) {
                String name = ref.asText().substring(DEFS_REF.length());
                if (reached.add(name)) {
                    pending.push(defs.get(replacing.getOrDefault(name, name)));
                }
            }
        }
        return reached;
    }
}

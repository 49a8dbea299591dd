package io.wasmesh.config.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.wasmesh.config.internal.ConfigPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value of the document with its path, for rules that run whether or not the schema passed: a
 * value of the wrong type reads as absent here (the schema reported it), so no rule trips over it.
 */
final class Node {

    private final JsonNode json;
    private final String path;
    private final String name;

    private Node(JsonNode json, String path, String name) {
        this.json = json;
        this.path = path;
        this.name = name;
    }

    static Node root(JsonNode json) {
        return new Node(json, ConfigPaths.ROOT, "");
    }

    String path() {
        return path;
    }

    /** The field name or index this value is at. */
    String name() {
        return name;
    }

    JsonNode json() {
        return json;
    }

    /** The field, or an absent node (for a missing field or when this is not an object). */
    Node get(String field) {
        JsonNode value =
                json.isObject() && json.has(field) ? json.get(field) : MissingNode.getInstance();
        return new Node(value, ConfigPaths.field(path, field), field);
    }

    /** The elements of an array; none for anything else. */
    List<Node> items() {
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < json.size() && json.isArray(); i++) {
            items.add(new Node(json.get(i), ConfigPaths.index(path, i), String.valueOf(i)));
        }
        return items;
    }

    /** The fields of an object, in order; none for anything else. */
    List<Node> fields() {
        List<Node> fields = new ArrayList<>();
        if (json.isObject()) {
            for (Map.Entry<String, JsonNode> f : json.properties()) {
                fields.add(new Node(f.getValue(), ConfigPaths.field(path, f.getKey()), f.getKey()));
            }
        }
        return fields;
    }

    /** Given, and not {@code null}. */
    boolean isPresent() {
        return !json.isMissingNode() && !json.isNull();
    }

    boolean isText() {
        return json.isTextual();
    }

    boolean isObject() {
        return json.isObject();
    }

    Optional<String> text() {
        return json.isTextual() ? Optional.of(json.asText()) : Optional.empty();
    }

    /** An integer, or {@code orElse} when absent or not an integer. */
    int intOr(int orElse) {
        return json.isIntegralNumber() ? json.asInt() : orElse;
    }

    /** The names among {@code fields} that this object gives. */
    List<String> present(List<String> fields) {
        return fields.stream().filter(f -> get(f).isPresent()).toList();
    }
}

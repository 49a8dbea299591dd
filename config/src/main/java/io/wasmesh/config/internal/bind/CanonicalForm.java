package io.wasmesh.config.internal.bind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wasmesh.config.internal.FilePaths;
import io.wasmesh.config.internal.schema.SchemaDefaults;
import java.nio.file.Path;

/**
 * Rewrites a valid document into the one shape the records bind from: shorthands expanded ({@code
 * module: x.wasm}, {@code module: sha256:<hex>}, {@code - backend}, {@code - 127.0.0.1:8080}),
 * configurations as text, file names absolute, and the schema's defaults filled in.
 */
public final class CanonicalForm {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final String DIGEST_PREFIX = "sha256:";

    private final Path baseDir;

    private CanonicalForm(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** A mesh file, rewritten into a copy; {@code config} is left as it is. */
    public static JsonNode mesh(JsonNode config, Path baseDir, JsonNode schema) {
        ObjectNode root = config.deepCopy();
        new CanonicalForm(baseDir).rewriteMesh(root);
        SchemaDefaults.apply(root, schema);
        return root;
    }

    /**
     * A tenant object or a tenant document (the same fields, a subset), rewritten into a copy;
     * {@code schema} is the one it was validated against.
     */
    public static JsonNode tenant(JsonNode tenant, Path baseDir, JsonNode schema) {
        ObjectNode root = tenant.deepCopy();
        root.remove("$schema");
        new CanonicalForm(baseDir).rewriteTenant(root);
        SchemaDefaults.apply(root, schema);
        return root;
    }

    /** A document that has no shorthands (a tenant's limits): only the defaults filled in. */
    public static JsonNode withDefaults(JsonNode document, JsonNode schema) {
        JsonNode root = document.deepCopy();
        SchemaDefaults.apply(root, schema);
        return root;
    }

    private void rewriteMesh(ObjectNode root) {
        root.remove("$schema");
        if (root.path("version").isNumber()) {
            root.put("version", root.get("version").asText());
        }
        for (JsonNode listener : root.path("listeners")) {
            if (listener.path("tls").isObject()) {
                ObjectNode tls = (ObjectNode) listener.get("tls");
                tls.put("certPath", file(tls.get("certPath")));
                tls.put("keyPath", file(tls.get("keyPath")));
            }
        }
        for (JsonNode tenant : root.path("tenants")) {
            rewriteTenant((ObjectNode) tenant);
        }
    }

    private void rewriteTenant(ObjectNode tenant) {
        for (JsonNode filter : tenant.path("filters")) {
            rewriteModuleAndConfiguration((ObjectNode) filter);
        }
        for (JsonNode service : tenant.path("services")) {
            rewriteModuleAndConfiguration((ObjectNode) service);
        }
        for (JsonNode route : tenant.path("routes")) {
            rewriteRoute((ObjectNode) route);
        }
        for (JsonNode cluster : tenant.path("clusters")) {
            ObjectNode c = (ObjectNode) cluster;
            if (c.has("endpoints")) {
                c.set("endpoints", expand(c.get("endpoints"), CanonicalForm::endpoint));
            }
        }
    }

    private void rewriteModuleAndConfiguration(ObjectNode holder) {
        ObjectNode canonical = module(holder.get("module"));
        if (canonical.has("path")) {
            canonical.put("path", file(canonical.get("path")));
        }
        holder.set("module", canonical);
        configurationAsText(holder);
    }

    /** A plain string is a path, or a digest when it starts with {@code sha256:}. */
    private static ObjectNode module(JsonNode module) {
        if (!module.isTextual()) {
            return (ObjectNode) module;
        }
        String text = module.asText();
        return text.startsWith(DIGEST_PREFIX)
                ? NODES.objectNode().put("sha256", text.substring(DIGEST_PREFIX.length()))
                : NODES.objectNode().put("path", text);
    }

    private static void rewriteRoute(ObjectNode route) {
        if (route.has("weightedClusters")) {
            route.set(
                    "weightedClusters",
                    expand(
                            route.get("weightedClusters"),
                            name -> NODES.objectNode().put("name", name.asText())));
        }
        for (JsonNode override : route.path("filters")) {
            configurationAsText((ObjectNode) override);
        }
    }

    /** Istio's pluginConfig style: an object or array is handed over as its compact JSON. */
    private static void configurationAsText(ObjectNode holder) {
        JsonNode configuration = holder.get("configuration");
        if (configuration != null && !configuration.isTextual()) {
            try {
                holder.put("configuration", COMPACT.writeValueAsString(configuration));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree always writes", e);
            }
        }
    }

    /** {@code host:port}, or {@code [v6]:port}. */
    private static JsonNode endpoint(JsonNode shorthand) {
        String text = shorthand.asText();
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return NODES.objectNode()
                .put("host", host)
                .put("port", Integer.parseInt(text.substring(colon + 1)));
    }

    private static JsonNode expand(
            JsonNode items, java.util.function.Function<JsonNode, JsonNode> fromString) {
        var expanded = NODES.arrayNode();
        for (JsonNode item : items) {
            expanded.add(item.isTextual() ? fromString.apply(item) : item);
        }
        return expanded;
    }

    private String file(JsonNode name) {
        return FilePaths.resolve(baseDir, name.asText()).toString();
    }
}

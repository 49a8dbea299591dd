package io.wasmesh.config.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.config.internal.Problems;
import java.nio.file.Path;
import java.util.List;

/**
 * The rules a JSON Schema cannot express: names that must be unique or must exist, choices of
 * exactly one field, regexes that must compile, files that must exist. They run on the document
 * tree even when the schema failed, so one load reports every problem.
 */
public final class SemanticChecks {

    // Stateless: one list serves every load.
    private static final List<Rule> MESH_RULES =
            List.of(new UniqueNames(), new DomainOwnership(), new ListenerRules());
    private static final List<TenantRule> TENANT_RULES =
            List.of(
                    new UniqueNames(),
                    new RouteActions(),
                    new RouteMatches(),
                    new References(),
                    new ClusterRules());

    private SemanticChecks() {}

    /**
     * A mesh file.
     *
     * @param baseDir the directory relative file names are resolved against
     */
    public static void mesh(JsonNode config, Path baseDir, Problems problems) {
        Node root = Node.root(config);
        MESH_RULES.forEach(rule -> rule.check(root, problems));
        new FilesExist(baseDir).check(root, problems);
        ModuleFiles modules = ModuleFiles.relativeTo(baseDir);
        for (Node tenant : root.get("tenants").items()) {
            TENANT_RULES.forEach(rule -> rule.checkTenant(tenant, problems));
            modules.checkTenant(tenant, problems);
        }
    }

    /** A tenant object on its own: module paths are absolute, as a loaded model holds them. */
    public static void tenant(JsonNode tenant, Problems problems) {
        Node root = Node.root(tenant);
        DomainOwnership.check(List.of(root), problems);
        TENANT_RULES.forEach(rule -> rule.checkTenant(root, problems));
        ModuleFiles.absolute().checkTenant(root, problems);
    }

    /** A tenant document: its schema already allows modules by digest only, so no files. */
    public static void tenantDocument(JsonNode document, Problems problems) {
        Node root = Node.root(document);
        TENANT_RULES.forEach(rule -> rule.checkTenant(root, problems));
    }

    /** "exactly one of a, b is required" and its kin, naming what was given when too many. */
    static String exactlyOne(List<String> fields, List<String> given) {
        String message = "exactly one of " + String.join(", ", fields) + " is required";
        return given.size() > 1 ? message + " (got " + String.join(" and ", given) + ")" : message;
    }

    static String atMostOne(List<String> fields) {
        return "at most one of " + String.join(", ", fields) + " is allowed";
    }

    static String atLeastOne(List<String> fields) {
        return "at least one of " + String.join(", ", fields) + " is required";
    }
}

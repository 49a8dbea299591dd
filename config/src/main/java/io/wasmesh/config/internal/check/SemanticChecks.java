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

    private SemanticChecks() {}

    /**
     * @param baseDir the directory relative file names are resolved against
     */
    public static void run(JsonNode config, Path baseDir, Problems problems) {
        Node root = Node.root(config);
        List<Rule> rules =
                List.of(
                        new UniqueNames(),
                        new DomainOwnership(),
                        new ListenerRules(),
                        new FilesExist(baseDir),
                        new RouteActions(),
                        new RouteMatches(),
                        new References(),
                        new ClusterRules());
        for (Rule rule : rules) {
            rule.check(root, problems);
        }
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

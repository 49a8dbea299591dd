package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A route match has at most one path condition, header and query conditions one test each, and
 * regexes that compile.
 */
final class RouteMatches implements TenantRule {

    private static final List<String> PATH_CONDITIONS = List.of("path", "prefix", "regex");
    private static final List<String> HEADER_TESTS = List.of("exact", "prefix", "regex", "present");
    private static final List<String> QUERY_TESTS = List.of("exact", "regex", "present");

    @Override
    public void checkTenant(Node tenant, Problems problems) {
        for (Node route : tenant.get("routes").items()) {
            match(route.get("match"), problems);
        }
    }

    private static void match(Node match, Problems problems) {
        if (match.present(PATH_CONDITIONS).size() > 1) {
            problems.at(match.path(), SemanticChecks.atMostOne(PATH_CONDITIONS));
        }
        regex(match.get("regex"), problems);
        for (Node header : match.get("headers").items()) {
            exactlyOne(header, HEADER_TESTS, problems);
            regex(header.get("regex"), problems);
        }
        for (Node parameter : match.get("query").items()) {
            exactlyOne(parameter, QUERY_TESTS, problems);
            regex(parameter.get("regex"), problems);
        }
    }

    private static void exactlyOne(Node condition, List<String> tests, Problems problems) {
        List<String> given = condition.present(tests);
        if (condition.isObject() && given.size() != 1) {
            problems.at(condition.path(), SemanticChecks.exactlyOne(tests, given));
        }
    }

    private static void regex(Node regex, Problems problems) {
        regex.text()
                .ifPresent(
                        r -> {
                            try {
                                Pattern.compile(r);
                            } catch (PatternSyntaxException e) {
                                problems.at(
                                        regex.path(),
                                        "invalid regex: "
                                                + e.getDescription()
                                                + (e.getIndex() >= 0
                                                        ? " near index " + e.getIndex()
                                                        : ""));
                            }
                        });
    }
}

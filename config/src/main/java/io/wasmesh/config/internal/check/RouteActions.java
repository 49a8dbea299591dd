package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Durations;
import io.wasmesh.config.internal.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A route has exactly one action, and the action makes sense: weights, redirects, retries. */
final class RouteActions implements TenantRule {

    private static final List<String> ACTIONS =
            List.of("cluster", "weightedClusters", "service", "directResponse", "redirect");
    private static final List<String> REDIRECT_CHANGES =
            List.of("scheme", "host", "port", "path", "prefixRewrite");
    private static final List<String> REDIRECT_PATHS = List.of("path", "prefixRewrite");

    @Override
    public void checkTenant(Node tenant, Problems problems) {
        for (Node route : tenant.get("routes").items()) {
            List<String> actions = route.present(ACTIONS);
            if (actions.size() != 1) {
                problems.at(route.path(), SemanticChecks.exactlyOne(ACTIONS, actions));
            }
            weights(route.get("weightedClusters"), problems);
            redirect(route.get("redirect"), problems);
            retries(route.get("retries"), problems);
        }
    }

    /** A plain string, or an object without a weight, weighs 1. */
    private static void weights(Node clusters, Problems problems) {
        List<Node> items = clusters.items();
        boolean allZero =
                !items.isEmpty()
                        && items.stream()
                                .allMatch(c -> c.isObject() && c.get("weight").intOr(1) == 0);
        if (allZero) {
            problems.at(clusters.path(), "weights must not all be zero");
        }
    }

    private static void redirect(Node redirect, Problems problems) {
        if (!redirect.isObject()) {
            return;
        }
        if (redirect.present(REDIRECT_CHANGES).isEmpty()) {
            problems.at(redirect.path(), SemanticChecks.atLeastOne(REDIRECT_CHANGES));
        }
        if (redirect.present(REDIRECT_PATHS).size() > 1) {
            problems.at(redirect.path(), SemanticChecks.atMostOne(REDIRECT_PATHS));
        }
    }

    private static void retries(Node retries, Problems problems) {
        boolean retriesStatuses =
                retries.get("retryOn").items().stream()
                        .anyMatch(
                                r -> r.text().filter("retriable-status-codes"::equals).isPresent());
        if (retriesStatuses && retries.get("retriableStatusCodes").items().isEmpty()) {
            problems.at(
                    retries.get("retryOn").path(),
                    "retriable-status-codes needs retriableStatusCodes");
        }
        Optional<Duration> base = duration(retries.get("backoffBase"));
        Optional<Duration> max = duration(retries.get("backoffMax"));
        if (base.isPresent() && max.isPresent() && max.get().compareTo(base.get()) < 0) {
            problems.at(
                    retries.get("backoffMax").path(),
                    "must not be shorter than backoffBase ("
                            + retries.get("backoffBase").text().orElseThrow()
                            + ")");
        }
    }

    /** The duration given, if it is one (the schema reports it otherwise). */
    private static Optional<Duration> duration(Node node) {
        try {
            return node.text().map(Durations::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import java.util.List;

/**
 * Ring hash needs a header to hash (and only ring hash takes one); endpoints are reachable and not
 * all weightless.
 */
final class ClusterRules implements TenantRule {

    @Override
    public void checkTenant(Node tenant, Problems problems) {
        for (Node cluster : tenant.get("clusters").items()) {
            hashHeader(cluster, problems);
            endpoints(cluster.get("endpoints"), problems);
        }
    }

    private static void hashHeader(Node cluster, Problems problems) {
        boolean ringHash =
                cluster.get("loadBalancer").text().filter("ring_hash"::equals).isPresent();
        Node header = cluster.get("hashHeader");
        if (ringHash && !header.isPresent() && cluster.isObject()) {
            problems.atValueOf(
                    cluster.path(), header.path(), "required with loadBalancer ring_hash");
        } else if (!ringHash && header.isPresent()) {
            problems.at(header.path(), "only used with loadBalancer ring_hash");
        }
    }

    private static void endpoints(Node endpoints, Problems problems) {
        List<Node> items = endpoints.items();
        for (Node endpoint : items) {
            // host:port: the schema's pattern cannot bound the port.
            endpoint.text()
                    .map(t -> t.substring(t.lastIndexOf(':') + 1))
                    .filter(port -> port.matches("[0-9]{1,5}"))
                    .map(Integer::parseInt)
                    .filter(port -> port < 1 || port > 65535)
                    .ifPresent(
                            port ->
                                    problems.at(
                                            endpoint.path(),
                                            "port must be between 1 and 65535, not " + port));
        }
        boolean allZero =
                !items.isEmpty()
                        && items.stream()
                                .allMatch(e -> e.isObject() && e.get("weight").intOr(1) == 0);
        if (allZero) {
            problems.at(endpoints.path(), "weights must not all be zero");
        }
    }
}

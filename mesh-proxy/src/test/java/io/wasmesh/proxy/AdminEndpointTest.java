package io.wasmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.wasmesh.proxy.testing.RunningProxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin port: readiness, config dump, cluster state and Prometheus metrics. */
class AdminEndpointTest {
    @Test
    void metricsCountRequestsAndWhatFiltersRecordInWellFormedFamilies() {
        String yaml =
                """
                listeners: [{name: http, address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0}
                tenants:
                  - name: shop
                    domains: [shop.test]
                    filters: [{name: counter, module: "%s"}]
                    routes: [{name: all, directResponse: {status: 204}}]
                """
                        .formatted(RunningProxy.example("c/counter.wasm"));
        try (RunningProxy p = RunningProxy.start(yaml)) {
            assertThat(p.get("shop.test", "/").status()).isEqualTo(204);
            assertThat(p.get("shop.test", "/").status()).isEqualTo(204);

            assertThat(p.get("nowhere.test", "/").status()).isEqualTo(404);
            assertThat(p.admin(HttpMethod.GET, "/ready").body()).isEqualTo("LIVE\n");
            String metrics = p.admin(HttpMethod.GET, "/metrics").body();
            assertThat(metrics)
                    .contains(
                            "wasmesh_requests_total{tenant=\"shop\",route=\"all\",code=\"204\"} 2")
                    .contains(
                            "wasmesh_filter_metric{tenant=\"shop\",name=\"example_requests_total\"} 2")
                    .contains(
                            "wasmesh_wasm_vms_started_total{tenant=\"shop\",plugin=\"counter\"} 1")
                    .containsPattern(
                            "http_server_request_duration_seconds_count\\{[^}]*"
                                    + "http_response_status_code=\"204\"[^}]*wasmesh_tenant=\"shop\"[^}]*\\} 2")
                    .as("requests the router answers itself count too")
                    .containsPattern(
                            "http_server_request_duration_seconds_count\\{[^}]*"
                                    + "http_route=\"unmatched\"[^}]*\\} 1")
                    .containsPattern(
                            "wasmesh_wasm_call_duration_seconds_count\\{[^}]*wasmesh_phase=\"request_headers\""
                                    + "[^}]*wasmesh_plugin=\"counter\"[^}]*\\} 2");
            // Every family is one group of consecutive samples under a single TYPE line.
            List<String> runs = new ArrayList<>();
            metrics.lines()
                    .filter(l -> !l.startsWith("#"))
                    .map(l -> l.replaceAll("[{ ].*", "").replaceAll("_(bucket|count|sum)$", ""))
                    .forEach(
                            f -> {
                                if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(f)) {
                                    runs.add(f);
                                }
                            });
            assertThat(runs).doesNotHaveDuplicates();
            assertThat(metrics.lines().filter(l -> l.startsWith("# TYPE")).count())
                    .isEqualTo(runs.size());
            assertThat(p.admin(HttpMethod.GET, "/config_dump").body()).contains("\"revision\" : 1");
        }
    }
}

package io.wasmesh.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.wasmesh.controlplane.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is served, published in docs/, and names exactly the routes mounted. */
class OpenApiTest {

    @Test
    void theDocumentIsServedPublishedAndMatchesTheRoutes() throws Exception {
        try (TestCluster cluster = TestCluster.start(1)) {
            var served = cluster.anonymous(0).get("/v1/openapi.json");
            assertThat(served.status()).isEqualTo(200);
            byte[] published = Files.readAllBytes(Path.of("..", "docs", "openapi.json"));
            assertThat(served.bytes())
                    .as("docs/openapi.json is a copy of the served document")
                    .isEqualTo(published);

            JsonNode doc = new JsonMapper().readTree(published);
            assertThat(doc.path("openapi").asText()).startsWith("3.");
            Set<String> documented = new TreeSet<>();
            doc.path("paths")
                    .properties()
                    .forEach(
                            p ->
                                    p.getValue()
                                            .properties()
                                            .forEach(
                                                    m ->
                                                            documented.add(
                                                                    m.getKey()
                                                                                    .toUpperCase(
                                                                                            Locale
                                                                                                    .ROOT)
                                                                            + " "
                                                                            + p.getKey())));
            documented.removeIf(d -> d.startsWith("PARAMETERS "));
            Set<String> mounted = new TreeSet<>();
            for (Route r : cluster.node(0).router().getRoutes()) {
                if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) {
                    continue; // handlers for every path (authentication, bodies, failures)
                }
                String path = r.getPath().replaceAll(":([a-z0-9]+)", "{$1}");
                for (HttpMethod m : r.methods()) {
                    mounted.add(m.name() + " " + path);
                }
            }
            assertThat(documented).isEqualTo(mounted);
        }
    }
}

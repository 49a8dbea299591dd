package io.wasmesh.filter.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmesh.filter.sdk.testing.FilterHarness;
import io.wasmesh.filter.sdk.testing.FilterOutcome;
import io.wasmesh.filter.sdk.testing.HttpMessage;
import io.wasmesh.wasm.proxywasm.PluginRejectedException;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each bundled example filter, run on the real host through the harness. */
class ExampleFiltersTest {
    static Path example(String name) {
        Path p = Path.of("examples/c/" + name + ".wasm");
        return p.toFile().exists() ? p : Path.of("filter-sdk/examples/c/" + name + ".wasm");
    }

    @Test
    void addHeaderAddsAndRemovesConfiguredHeaders() {
        try (FilterHarness h =
                FilterHarness.builder(example("add_header"))
                        .configuration("add=x-team: payments\nremove=x-internal")
                        .build()) {
            FilterOutcome o =
                    h.exchange(HttpMessage.request("GET", "/").header("x-internal", "secret"));
            assertThat(o.forwarded()).isTrue();
            assertThat(o.requestHeaders().get("x-team")).isEqualTo("payments");
            assertThat(o.requestHeaders().get("x-internal")).isNull();
            assertThat(o.responseHeaders().get("x-powered-by")).isEqualTo("wasmesh");
        }
    }

    @Test
    void addHeaderDefaultsWithEmptyConfiguration() {
        try (FilterHarness h = FilterHarness.builder(example("add_header")).build()) {
            FilterOutcome o = h.exchange(HttpMessage.request("GET", "/"));
            assertThat(o.requestHeaders().get("x-wasmesh-filter")).isEqualTo("add_header");
        }
    }

    @Test
    void apiKeyRejectsMissingAndWrongKeysWithA401() {
        try (FilterHarness h =
                FilterHarness.builder(example("api_key")).configuration("key=s3cret").build()) {
            FilterOutcome missing = h.exchange(HttpMessage.request("GET", "/"));
            assertThat(missing.localReply().status()).isEqualTo(401);
            assertThat(missing.localReply().headers().get("www-authenticate")).isEqualTo("ApiKey");
            assertThat(missing.forwarded()).as("never reached the upstream").isFalse();
            assertThat(missing.responseHeaders().get(":status"))
                    .as("the reply, back through the filter's response callbacks")
                    .isEqualTo("401");
            assertThat(missing.decisions())
                    .containsExactly(
                            "request_headers: LOCAL_REPLY",
                            "response_headers: CONTINUE",
                            "response_body: CONTINUE");

            FilterOutcome wrong =
                    h.exchange(HttpMessage.request("GET", "/").header("x-api-key", "guess"));
            assertThat(wrong.localReply().status()).isEqualTo(401);

            FilterOutcome right =
                    h.exchange(HttpMessage.request("GET", "/").header("x-api-key", "s3cret"));
            assertThat(right.forwarded()).isTrue();
            assertThat(right.requestHeaders().get("x-api-key")).as("not leaked upstream").isNull();
        }
    }

    @Test
    void apiKeyWithoutKeysRefusesItsConfigurationWithTheReason() {
        assertThatThrownBy(
                        () -> FilterHarness.builder(example("api_key")).configuration("").build())
                .isInstanceOf(PluginRejectedException.class)
                .hasMessageContaining("on_configure returned false");
    }

    @Test
    void httpAuthPausesUntilTheAuthServiceAnswers() {
        try (FilterHarness h =
                FilterHarness.builder(example("http_auth"))
                        .httpUpstream(
                                "auth",
                                req ->
                                        "Bearer good".equals(req.headers().get("authorization"))
                                                ? HttpCallResponse.of(200, "", "x-user", "alice")
                                                : HttpCallResponse.of(403, "denied"))
                        .build()) {
            FilterOutcome ok =
                    h.exchange(
                            HttpMessage.request("GET", "/").header("authorization", "Bearer good"));
            assertThat(ok.decisions())
                    .contains("request_headers: STOP", "request_headers: resumed");
            assertThat(ok.requestHeaders().get("x-auth-user")).isEqualTo("alice");
            assertThat(ok.httpCalls())
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.upstream()).isEqualTo("auth");
                                assertThat(c.headers().get(":path")).isEqualTo("/check");
                            });

            FilterOutcome denied =
                    h.exchange(
                            HttpMessage.request("GET", "/").header("authorization", "Bearer bad"));
            assertThat(denied.localReply().status()).isEqualTo(403);
            assertThat(denied.localReply().bodyAsString()).isEqualTo("denied");
        }
    }

    @Test
    void httpAuthAnswers503WhenTheAuthCallFails() {
        try (FilterHarness h =
                FilterHarness.builder(example("http_auth"))
                        .httpUpstream("auth", req -> null)
                        .build()) {
            FilterOutcome o = h.exchange(HttpMessage.request("GET", "/"));
            assertThat(o.localReply().status()).isEqualTo(503);
        }
    }

    @Test
    void bodyRewriterBuffersThenRewritesBothDirections() {
        try (FilterHarness h =
                FilterHarness.builder(example("body_rewrite"))
                        .configuration("from=cat\nto=dog")
                        .build()) {
            FilterOutcome o =
                    h.exchange(
                            HttpMessage.request("POST", "/")
                                    .header("content-length", "17")
                                    .body("the cat ")
                                    .body("sat, cat"),
                            HttpMessage.response(200).body("cat food"));
            assertThat(o.requestBodyAsString()).isEqualTo("the dog sat, dog");
            assertThat(o.requestHeaders().get("content-length")).isNull();
            assertThat(o.responseBodyAsString()).isEqualTo("dog food");
            assertThat(o.decisions()).contains("request_body: STOP (buffering)");
        }
    }

    @Test
    void aBufferedBodyPastItsDirectionsLimitEndsTheStreamAsEnvoyDoes() {
        try (FilterHarness h =
                FilterHarness.builder(example("body_rewrite"))
                        .configuration("from=cat\nto=dog")
                        .bodyBufferLimits(64, 8)
                        .build()) {
            FilterOutcome o =
                    h.exchange(
                            HttpMessage.request("POST", "/").body("a cat, well within 64"),
                            HttpMessage.response(200).body("cat food for the whole street"));

            assertThat(o.requestBodyAsString()).isEqualTo("a dog, well within 64");
            assertThat(o.localReply()).isNotNull();
            assertThat(o.localReply().status()).isEqualTo(500);
            assertThat(o.localReply().details()).isEqualTo("response_payload_too_large");
        }
        try (FilterHarness h =
                FilterHarness.builder(example("body_rewrite"))
                        .configuration("from=cat\nto=dog")
                        .bodyBufferLimits(8, 1 << 20)
                        .build()) {
            FilterOutcome o =
                    h.exchange(HttpMessage.request("POST", "/").body("a cat, past 8 bytes"));

            assertThat(o.localReply().status()).isEqualTo(413);
            assertThat(o.localReply().details()).isEqualTo("request_payload_too_large");
        }
    }

    @Test
    void counterCountsInSharedDataAndAMetric() {
        try (FilterHarness h = FilterHarness.builder(example("counter")).build()) {
            h.exchange(HttpMessage.request("GET", "/"));
            FilterOutcome second = h.exchange(HttpMessage.request("GET", "/"));
            assertThat(second.requestHeaders().get("x-request-count")).isEqualTo("2");
            assertThat(h.sharedData("requests")).as("stored zero-padded").isEqualTo("00000002");
            assertThat(second.metrics()).containsEntry("example_requests_total", 2L);
        }
    }

    @Test
    void tickFilterCountsTicksAndDrainsItsQueue() {
        try (FilterHarness h =
                FilterHarness.builder(example("tick")).configuration("period_ms=50").build()) {
            assertThat(h.tickArmed()).isTrue();
            h.tick();
            h.tick();
            FilterOutcome o = h.exchange(HttpMessage.request("GET", "/"));
            assertThat(o.requestHeaders().get("x-ticks")).isEqualTo("2");
            assertThat(h.sharedData("ticks")).isEqualTo("00000002");
        }
    }
}

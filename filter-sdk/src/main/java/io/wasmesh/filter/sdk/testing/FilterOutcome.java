package io.wasmesh.filter.sdk.testing;

import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.HttpCallRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a filter did to one exchange: the request as forwarded upstream, the response as sent
 * downstream, and the local reply it answered with, if any; plus the decision of each callback, its
 * logs, the HTTP calls it made and the tenant's metrics afterwards.
 *
 * @param requestHeaders the request headers after the filter (as the upstream would see them)
 * @param requestBody the request body the filter let through
 * @param responseHeaders the response headers after the filter: the upstream's, or after a local
 *     reply made on the request path the reply's, as the filter's response callbacks left them (the
 *     proxy, like Envoy, sends such a reply through them); null after a reset
 * @param localReply the filter's local reply, or null
 * @param reset whether the filter closed the stream
 * @param decisions one entry per callback, e.g. {@code request_headers: STOP}, {@code
 *     request_headers: resumed}
 * @param logs each log line as {@code LEVEL message}
 * @param httpCalls the calls the filter made, in order
 * @param metrics the tenant's metric values by name after the exchange
 */
public record FilterOutcome(
        HeaderMap requestHeaders,
        byte[] requestBody,
        HeaderMap requestTrailers,
        HeaderMap responseHeaders,
        byte[] responseBody,
        HeaderMap responseTrailers,
        LocalReply localReply,
        boolean reset,
        List<String> decisions,
        List<String> logs,
        List<HttpCallRequest> httpCalls,
        Map<String, Long> metrics) {

    public String requestBodyAsString() {
        return new String(requestBody, StandardCharsets.UTF_8);
    }

    public String responseBodyAsString() {
        return responseBody == null ? null : new String(responseBody, StandardCharsets.UTF_8);
    }

    /** True when the request went upstream (no local reply, no reset). */
    public boolean forwarded() {
        return localReply == null && !reset;
    }
}

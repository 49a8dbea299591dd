package io.wasmesh.filter.sdk.testing;

import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.HttpCallRequest;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Fake upstreams for {@code proxy_http_call}: each name answers with a function of the request,
 * asynchronously (on another thread, as a real upstream would). Unknown names are refused like a
 * cluster the tenant lacks. Every call is recorded.
 */
final class ScriptedUpstreams implements HttpCallDispatcher {
    private final Map<String, Function<HttpCallRequest, HttpCallResponse>> upstreams =
            new ConcurrentHashMap<>();
    private final List<HttpCallRequest> calls = Collections.synchronizedList(new ArrayList<>());

    void add(String name, Function<HttpCallRequest, HttpCallResponse> answer) {
        upstreams.put(name, answer);
    }

    @Override
    public CompletionStage<HttpCallResponse> dispatch(HttpCallRequest request) {
        Function<HttpCallRequest, HttpCallResponse> answer = upstreams.get(request.upstream());
        if (answer == null) {
            throw new UnknownUpstreamException(request.upstream());
        }
        calls.add(request);
        // A null answer stands for a failed call (reset): the filter sees no headers and
        // BROKEN_CONNECTION.
        return CompletableFuture.supplyAsync(
                () -> {
                    HttpCallResponse r = answer.apply(request);
                    if (r == null) {
                        throw new IllegalStateException("reset");
                    }
                    return r;
                });
    }

    List<HttpCallRequest> takeCalls() {
        synchronized (calls) {
            List<HttpCallRequest> out = new ArrayList<>(calls);
            calls.clear();
            return out;
        }
    }
}

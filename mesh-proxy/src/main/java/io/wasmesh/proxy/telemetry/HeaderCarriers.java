package io.wasmesh.proxy.telemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** W3C trace context in and out of our two header types. */
final class HeaderCarriers {
    private HeaderCarriers() {}

    static final TextMapGetter<HeaderMap> FROM_HEADER_MAP =
            new TextMapGetter<>() {
                @SuppressWarnings("deprecation") // still what a propagator listing fields calls
                @Override
                public Iterable<String> keys(HeaderMap carrier) {
                    List<String> keys = new ArrayList<>();
                    for (Map.Entry<String, String> e : carrier.entries()) {
                        keys.add(e.getKey());
                    }
                    return keys;
                }

                @Override
                public String get(HeaderMap carrier, String key) {
                    return carrier == null ? null : carrier.get(key);
                }
            };

    static final TextMapSetter<HeaderMap> TO_HEADER_MAP = (carrier, k, v) -> carrier.set(k, v);

    static final TextMapSetter<MultiMap> TO_MULTI_MAP = (carrier, k, v) -> carrier.set(k, v);

    /** The W3C headers, removed where trace context must not go. */
    static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate");
}

package io.wasmesh.proxy.filter;

import io.wasmesh.proxy.telemetry.RouteTelemetry;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route's filter chain, built when the config loads: its plugins in order, all started on the
 * tenant's lanes. Makes one {@link FilterChain} per request, spreading requests over the lanes.
 */
public final class FilterChainFactory {
    private final List<ProxyWasmPlugin> plugins;
    private final List<Lane> lanes;
    private final AtomicInteger next = new AtomicInteger();
    private final Listens listens;
    private final RouteTelemetry telemetry;

    /**
     * Which stream callbacks some plugin of the chain exports: a phase no one listens to is
     * skipped.
     */
    record Listens(
            boolean requestHeaders,
            boolean requestBody,
            boolean responseHeaders,
            boolean responseBody) {}

    public FilterChainFactory(List<ProxyWasmPlugin> plugins, List<Lane> lanes) {
        this.plugins = List.copyOf(plugins);
        this.lanes = List.copyOf(lanes);
        this.listens =
                new Listens(
                        exports("proxy_on_request_headers"),
                        exports("proxy_on_request_body"),
                        exports("proxy_on_response_headers"),
                        exports("proxy_on_response_body"));
        this.telemetry = RouteTelemetry.of(this.plugins);
    }

    /** What the route's telemetry makes once: attributes and span names of its calls. */
    public RouteTelemetry telemetry() {
        return telemetry;
    }

    public static FilterChainFactory empty() {
        return new FilterChainFactory(List.of(), List.of());
    }

    public FilterChain newChain(StreamInfo info, FilterChain.AsyncListener listener) {
        return newChain(info, listener, WasmCallObserver.NONE);
    }

    public FilterChain newChain(
            StreamInfo info, FilterChain.AsyncListener listener, WasmCallObserver observer) {
        if (plugins.isEmpty()) {
            return new FilterChain(List.of(), 0, null, listens, info, listener, observer);
        }
        int lane = Math.floorMod(next.getAndIncrement(), lanes.size());
        return new FilterChain(plugins, lane, lanes.get(lane), listens, info, listener, observer);
    }

    public List<ProxyWasmPlugin> plugins() {
        return plugins;
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /** True when some plugin wants request body chunks: they then go through the chain. */
    public boolean inspectsRequestBody() {
        return listens.requestBody();
    }

    /** True when some plugin wants response body chunks. */
    public boolean inspectsResponseBody() {
        return listens.responseBody();
    }

    private boolean exports(String callback) {
        return plugins.stream().anyMatch(p -> p.module().exportsFunction(callback));
    }
}

package io.wasmesh.wasm.testing;

import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.HttpStream;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.nio.charset.StandardCharsets;

/**
 * Drives one request and response with bodies through a plugin, stopping at the first local reply
 * or reset, the way a filter chain would. Filters under test here never pause.
 */
public final class Exchange {
    public FilterResult last;
    public HeaderMap requestHeaders =
            HeaderMap.of(":method", "POST", ":path", "/p", ":authority", "a");
    public HeaderMap responseHeaders = HeaderMap.of(":status", "200");
    public boolean forwarded;

    public static Exchange run(ProxyWasmPlugin plugin) {
        Exchange x = new Exchange();
        HttpStream s = plugin.newStream(StreamObserver.IGNORE, null);
        byte[] body = "body".getBytes(StandardCharsets.UTF_8);
        if (x.step(s.onRequestHeaders(x.requestHeaders, false).join())
                && x.step(s.onRequestBody(body, true).join())) {
            x.forwarded = true;
            if (x.step(s.onResponseHeaders(x.responseHeaders, false).join())) {
                x.step(s.onResponseBody(body, true).join());
            }
        }
        s.complete().join();
        return x;
    }

    private boolean step(FilterResult r) {
        last = r;
        return r.action() == FilterResult.Action.CONTINUE;
    }

    public int status() {
        return last.action() == FilterResult.Action.LOCAL_REPLY ? last.localReply().status() : 200;
    }
}

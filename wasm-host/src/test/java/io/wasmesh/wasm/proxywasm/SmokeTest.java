package io.wasmesh.wasm.proxywasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.testing.TestHost;
import io.wasmesh.wasm.testing.Wat;
import org.junit.jupiter.api.Test;

class SmokeTest {
    static final String ADD_HEADER =
            """
            (module
              (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
              (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "x-wat")
              (data (i32.const 32) "yes")
              (data (i32.const 48) "configured")
              (global $heap (mut i32) (i32.const 1024))
              (func (export "proxy_abi_version_0_2_1"))
              (func (export "proxy_on_memory_allocate") (param i32) (result i32)
                (local $p i32)
                (local.set $p (global.get $heap))
                (global.set $heap (i32.add (global.get $heap) (local.get 0)))
                (local.get $p))
              (func (export "proxy_on_configure") (param i32 i32) (result i32)
                (drop (call $log (i32.const 2) (i32.const 48) (i32.const 10)))
                (i32.const 1))
              (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                (drop (call $add (i32.const 0) (i32.const 16) (i32.const 5) (i32.const 32) (i32.const 3)))
                (i32.const 0)))
            """;

    @Test
    void watFilterAddsHeader() {
        try (TestHost t = new TestHost()) {
            ProxyWasmPlugin plugin =
                    t.start(Wat.compile(ADD_HEADER), TestHost.plugin("add").build());
            HttpStream stream = plugin.newStream(StreamObserver.IGNORE, null);
            HeaderMap headers = HeaderMap.of(":method", "GET", ":path", "/");
            FilterResult r = stream.onRequestHeaders(headers, true).join();
            assertThat(r.action()).isEqualTo(FilterResult.Action.CONTINUE);
            assertThat(headers.get("x-wat")).isEqualTo("yes");
            assertThat(t.logs()).contains("INFO configured");
        }
    }
}

package io.wasmesh.wasm.proxywasm.vm;

import static io.wasmesh.wasm.proxywasm.abi.WasmResult.BAD_ARGUMENT;
import static io.wasmesh.wasm.proxywasm.abi.WasmResult.CAS_MISMATCH;
import static io.wasmesh.wasm.proxywasm.abi.WasmResult.EMPTY;
import static io.wasmesh.wasm.proxywasm.abi.WasmResult.INVALID_MEMORY_ACCESS;
import static io.wasmesh.wasm.proxywasm.abi.WasmResult.NOT_FOUND;
import static io.wasmesh.wasm.proxywasm.abi.WasmResult.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.wasm.proxywasm.abi.BufferType;
import io.wasmesh.wasm.proxywasm.abi.MapType;
import io.wasmesh.wasm.proxywasm.abi.MetricType;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.memory.HeaderPairs;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.tenant.TenantState;
import io.wasmesh.wasm.testing.TestHost;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each host function's status codes and effects, called as a guest calls it (see {@link AbiProbe}),
 * against the behaviour of Envoy's proxy-wasm host.
 */
class HostCallConformanceTest {
    final TenantState tenantA = new TenantState("tenant-a", TenantState.Quotas.DEFAULT);
    final AbiProbe probe = AbiProbe.of(tenantA);

    @AfterEach
    void close() {
        probe.close();
    }

    @Nested
    class SharedData {
        int get(AbiProbe p, String key, int valuePtrPtr, int valueLenPtr, int casPtr) {
            String k = key;
            return p.call(
                    "proxy_get_shared_data",
                    p.put(k),
                    k.length(),
                    valuePtrPtr,
                    valueLenPtr,
                    casPtr);
        }

        int set(AbiProbe p, String key, String value, int cas) {
            return p.call(
                    "proxy_set_shared_data",
                    p.put(key),
                    key.length(),
                    p.put(value),
                    value.length(),
                    cas);
        }

        @Test
        void missingKeyIsNotFound() {
            assertThat(get(probe, "nope", probe.out(), probe.out(), probe.out()))
                    .isEqualTo(NOT_FOUND);
        }

        @Test
        void casZeroAlwaysWritesAndEachWriteBumpsTheCas() {
            int ptr = probe.out();
            int len = probe.out();
            int cas = probe.out();
            assertThat(set(probe, "k", "v1", 0)).isEqualTo(OK);
            assertThat(get(probe, "k", ptr, len, cas)).isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("v1");
            int first = probe.u32(cas);

            assertThat(set(probe, "k", "v2", 0)).isEqualTo(OK);
            assertThat(get(probe, "k", ptr, len, cas)).isEqualTo(OK);
            assertThat(probe.u32(cas)).isNotEqualTo(first);
        }

        @Test
        void staleCasIsCasMismatchAndLeavesTheValue() {
            int ptr = probe.out();
            int len = probe.out();
            int cas = probe.out();
            set(probe, "k", "v1", 0);
            get(probe, "k", ptr, len, cas);
            int current = probe.u32(cas);

            assertThat(set(probe, "k", "stale", current + 1)).isEqualTo(CAS_MISMATCH);
            assertThat(set(probe, "k", "fresh", current)).isEqualTo(OK);
            assertThat(set(probe, "k", "again", current)).isEqualTo(CAS_MISMATCH);
            get(probe, "k", ptr, len, cas);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("fresh");
        }

        @Test
        void anotherTenantNeverSeesTheKey() {
            set(probe, "secret", "a's", 0);
            TenantState tenantB = new TenantState("tenant-b", TenantState.Quotas.DEFAULT);
            try (AbiProbe other = AbiProbe.of(tenantB)) {
                assertThat(get(other, "secret", other.out(), other.out(), other.out()))
                        .isEqualTo(NOT_FOUND);
                assertThat(set(other, "secret", "b's", 0)).isEqualTo(OK);
            }
            int ptr = probe.out();
            int len = probe.out();
            get(probe, "secret", ptr, len, probe.out());
            assertThat(probe.returnedString(ptr, len)).isEqualTo("a's");
        }

        @Test
        void aKeyOutsideMemoryIsInvalidMemoryAccess() {
            assertThat(
                            probe.call(
                                    "proxy_get_shared_data",
                                    0xFFFF_FFF0L,
                                    64,
                                    probe.out(),
                                    probe.out(),
                                    probe.out()))
                    .isEqualTo(INVALID_MEMORY_ACCESS);
        }
    }

    @Nested
    class SharedQueues {
        int register(AbiProbe p, String name, int idPtr) {
            return p.call("proxy_register_shared_queue", p.put(name), name.length(), idPtr);
        }

        int resolve(AbiProbe p, String vmId, String name, int idPtr) {
            return p.call(
                    "proxy_resolve_shared_queue",
                    p.put(vmId),
                    vmId.length(),
                    p.put(name),
                    name.length(),
                    idPtr);
        }

        @Test
        void registerResolveEnqueueDequeue() {
            int id = probe.out();
            assertThat(register(probe, "jobs", id)).isEqualTo(OK);
            int resolved = probe.out();
            assertThat(resolve(probe, "", "jobs", resolved)).isEqualTo(OK);
            assertThat(probe.u32(resolved)).isEqualTo(probe.u32(id));

            int ptr = probe.out();
            int len = probe.out();
            assertThat(probe.call("proxy_dequeue_shared_queue", probe.u32(id), ptr, len))
                    .isEqualTo(EMPTY);
            assertThat(probe.call("proxy_enqueue_shared_queue", probe.u32(id), probe.put("one"), 3))
                    .isEqualTo(OK);
            assertThat(probe.call("proxy_dequeue_shared_queue", probe.u32(id), ptr, len))
                    .isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("one");
            assertThat(probe.call("proxy_dequeue_shared_queue", probe.u32(id), ptr, len))
                    .isEqualTo(EMPTY);
        }

        @Test
        void unknownQueuesAreNotFound() {
            assertThat(resolve(probe, "", "never-registered", probe.out())).isEqualTo(NOT_FOUND);
            assertThat(probe.call("proxy_enqueue_shared_queue", 9999, probe.put("x"), 1))
                    .isEqualTo(NOT_FOUND);
            assertThat(probe.call("proxy_dequeue_shared_queue", 9999, probe.out(), probe.out()))
                    .isEqualTo(NOT_FOUND);
        }

        @Test
        void anotherTenantCannotResolveOrUseTheQueue() {
            int id = probe.out();
            register(probe, "jobs", id);
            TenantState tenantB = new TenantState("tenant-b", TenantState.Quotas.DEFAULT);
            try (AbiProbe other = AbiProbe.of(tenantB)) {
                assertThat(resolve(other, "", "jobs", other.out())).isEqualTo(NOT_FOUND);
                assertThat(
                                other.call(
                                        "proxy_enqueue_shared_queue",
                                        probe.u32(id),
                                        other.put("x"),
                                        1))
                        .isEqualTo(NOT_FOUND);
            }
        }
    }

    @Nested
    class Metrics {
        int define(int type, String name) {
            int id = probe.out();
            assertThat(probe.call("proxy_define_metric", type, probe.put(name), name.length(), id))
                    .isEqualTo(OK);
            return probe.u32(id);
        }

        long value(int id) {
            int out = probe.out();
            assertThat(probe.call("proxy_get_metric", id, out)).isEqualTo(OK);
            return probe.u64(out);
        }

        @Test
        void countersOnlyGoUpAndRecordAdds() {
            int c = define(MetricType.COUNTER.ordinal(), "requests");
            assertThat(define(MetricType.COUNTER.ordinal(), "requests"))
                    .as("defining again returns the same id")
                    .isEqualTo(c);
            assertThat(probe.call("proxy_increment_metric", c, 5L)).isEqualTo(OK);
            assertThat(probe.call("proxy_increment_metric", c, -1L)).isEqualTo(BAD_ARGUMENT);
            assertThat(probe.call("proxy_record_metric", c, 2L)).isEqualTo(OK);
            assertThat(value(c)).isEqualTo(7);
        }

        @Test
        void gaugesGoBothWaysAndRecordSets() {
            int g = define(MetricType.GAUGE.ordinal(), "in_flight");
            probe.call("proxy_increment_metric", g, 3L);
            probe.call("proxy_increment_metric", g, -1L);
            assertThat(value(g)).isEqualTo(2);
            probe.call("proxy_record_metric", g, 40L);
            assertThat(value(g)).isEqualTo(40);
        }

        @Test
        void histogramsRecordButCannotBeReadOrIncremented() {
            int h = define(MetricType.HISTOGRAM.ordinal(), "latency_ms");
            assertThat(probe.call("proxy_record_metric", h, 12L)).isEqualTo(OK);
            assertThat(probe.call("proxy_increment_metric", h, 1L)).isEqualTo(BAD_ARGUMENT);
            assertThat(probe.call("proxy_get_metric", h, probe.out())).isEqualTo(BAD_ARGUMENT);
        }

        @Test
        void unknownIdsAndTypesAreRefused() {
            assertThat(probe.call("proxy_get_metric", 424242, probe.out())).isEqualTo(NOT_FOUND);
            assertThat(probe.call("proxy_increment_metric", 424242, 1L)).isEqualTo(NOT_FOUND);
            assertThat(probe.call("proxy_define_metric", 7, probe.put("x"), 1, probe.out()))
                    .isEqualTo(BAD_ARGUMENT);
        }
    }

    @Nested
    class HeaderMaps {
        int get(String name, int ptr, int len) {
            return probe.call(
                    "proxy_get_header_map_value",
                    MapType.HTTP_REQUEST_HEADERS,
                    probe.put(name),
                    name.length(),
                    ptr,
                    len);
        }

        int edit(String fn, String name, String value) {
            return probe.call(
                    fn,
                    MapType.HTTP_REQUEST_HEADERS,
                    probe.put(name),
                    name.length(),
                    probe.put(value),
                    value.length());
        }

        @Test
        void getAddReplaceRemove() {
            int ptr = probe.out();
            int len = probe.out();
            assertThat(get(":path", ptr, len)).isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("/p?q=1");
            assertThat(get("x-missing", ptr, len)).isEqualTo(NOT_FOUND);

            assertThat(edit("proxy_add_header_map_value", "x-a", "1")).isEqualTo(OK);
            assertThat(edit("proxy_add_header_map_value", "x-a", "2")).isEqualTo(OK);
            assertThat(probe.requestHeaders.getAll("x-a")).containsExactly("1", "2");

            assertThat(edit("proxy_replace_header_map_value", "x-a", "3")).isEqualTo(OK);
            assertThat(probe.requestHeaders.getAll("x-a")).containsExactly("3");
            assertThat(edit("proxy_replace_header_map_value", "x-new", "n")).isEqualTo(OK);
            assertThat(probe.requestHeaders.get("x-new")).isEqualTo("n");

            String name = "x-a";
            assertThat(
                            probe.call(
                                    "proxy_remove_header_map_value",
                                    MapType.HTTP_REQUEST_HEADERS,
                                    probe.put(name),
                                    name.length()))
                    .isEqualTo(OK);
            assertThat(probe.requestHeaders.get("x-a")).isNull();
            assertThat(edit("proxy_add_header_map_value", "", "v")).isEqualTo(BAD_ARGUMENT);
        }

        @Test
        void pairsAndSizeUseTheProxyWasmSerialization() {
            int ptr = probe.out();
            int len = probe.out();
            assertThat(
                            probe.call(
                                    "proxy_get_header_map_pairs",
                                    MapType.HTTP_REQUEST_HEADERS,
                                    ptr,
                                    len))
                    .isEqualTo(OK);
            byte[] pairs = probe.returned(ptr, len);
            // count, then (name length, value length) per pair, then each name\0value\0
            assertThat(
                            java.nio.ByteBuffer.wrap(pairs)
                                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                    .getInt(0))
                    .isEqualTo(3);
            assertThat(HeaderPairs.deserialize(pairs).get(":authority")).isEqualTo("h");
            int size = probe.out();
            assertThat(probe.call("proxy_get_header_map_size", MapType.HTTP_REQUEST_HEADERS, size))
                    .isEqualTo(OK);
            assertThat(probe.u32(size)).isEqualTo(pairs.length);

            byte[] replacement = HeaderPairs.serialize(HeaderMap.of(":method", "PUT", "x-b", "b"));
            assertThat(
                            probe.call(
                                    "proxy_set_header_map_pairs",
                                    MapType.HTTP_REQUEST_HEADERS,
                                    probe.put(replacement),
                                    replacement.length))
                    .isEqualTo(OK);
            assertThat(probe.requestHeaders.get(":method")).isEqualTo("PUT");
            assertThat(probe.requestHeaders.get(":path")).isNull();
        }

        @Test
        void responseHeadersDoNotExistYetAndUnknownMapTypesAreBadArguments() {
            assertThat(
                            probe.call(
                                    "proxy_get_header_map_value",
                                    99,
                                    probe.put("a"),
                                    1,
                                    probe.out(),
                                    probe.out()))
                    .isEqualTo(BAD_ARGUMENT);
            assertThat(
                            probe.call(
                                    "proxy_add_header_map_value",
                                    MapType.HTTP_RESPONSE_HEADERS,
                                    probe.put("a"),
                                    1,
                                    probe.put("b"),
                                    1))
                    .isIn(BAD_ARGUMENT, NOT_FOUND);
        }

        /** Envoy answers BAD_ARGUMENT, which SDKs turn into a panic; we read an empty map. */
        @Test
        void inTheRootContextStreamHeadersReadAsEmpty() {
            probe.vm.setEffectiveContext(probe.vm.rootContextId());
            assertThat(
                            probe.callAsIs(
                                    "proxy_get_header_map_value",
                                    MapType.HTTP_REQUEST_HEADERS,
                                    probe.put(":path"),
                                    5,
                                    probe.out(),
                                    probe.out()))
                    .isEqualTo(NOT_FOUND);
        }

        @Test
        void abi010ReadsAMissingHeaderAsEmpty() {
            try (AbiProbe old =
                    new AbiProbe(
                            new TenantState("t", TenantState.Quotas.DEFAULT),
                            TestHost.plugin("old").build(),
                            "proxy_abi_version_0_1_0",
                            HttpCallDispatcher.NONE)) {
                int ptr = old.out();
                int len = old.out();
                assertThat(
                                old.call(
                                        "proxy_get_header_map_value",
                                        MapType.HTTP_REQUEST_HEADERS,
                                        old.put("x-missing"),
                                        9,
                                        ptr,
                                        len))
                        .isEqualTo(OK);
                assertThat(old.u32(len)).isZero();
            }
        }
    }

    @Nested
    class Buffers {
        @Test
        void windowsOverTheBufferedBodyAndEnvoysEdits() {
            probe.vm.onRequestBody(probe.stream, bytes("hello"), false);
            // The filter continued, so the chunk was forwarded and the buffer is empty again: the
            // edits below build a new body in it.
            int ptr = probe.out();
            int len = probe.out();
            assertThat(
                            probe.call(
                                    "proxy_set_buffer_bytes",
                                    BufferType.HTTP_REQUEST_BODY,
                                    0,
                                    0,
                                    probe.put("world"),
                                    5))
                    .isEqualTo(OK);
            assertThat(
                            probe.call(
                                    "proxy_set_buffer_bytes",
                                    BufferType.HTTP_REQUEST_BODY,
                                    0,
                                    0,
                                    probe.put("hello "),
                                    6))
                    .as("start 0, size 0: prepend")
                    .isEqualTo(OK);
            assertThat(
                            probe.call(
                                    "proxy_get_buffer_bytes",
                                    BufferType.HTTP_REQUEST_BODY,
                                    6,
                                    100,
                                    ptr,
                                    len))
                    .isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("world");
            assertThat(
                            probe.call(
                                    "proxy_get_buffer_bytes",
                                    BufferType.HTTP_REQUEST_BODY,
                                    -1,
                                    1,
                                    ptr,
                                    len))
                    .isEqualTo(BAD_ARGUMENT);
            assertThat(probe.call("proxy_get_buffer_bytes", 42, 0, 1, ptr, len))
                    .isEqualTo(BAD_ARGUMENT);
        }

        @Test
        void pluginConfigurationIsReadableAsABuffer() {
            try (AbiProbe configured =
                    new AbiProbe(
                            new TenantState("t", TenantState.Quotas.DEFAULT),
                            TestHost.plugin("cfg").configuration("key=value").build(),
                            "proxy_abi_version_0_2_1",
                            HttpCallDispatcher.NONE)) {
                int ptr = configured.out();
                int len = configured.out();
                assertThat(
                                configured.call(
                                        "proxy_get_buffer_bytes",
                                        BufferType.PLUGIN_CONFIGURATION,
                                        0,
                                        1000,
                                        ptr,
                                        len))
                        .isEqualTo(OK);
                assertThat(configured.returnedString(ptr, len)).isEqualTo("key=value");
            }
        }
    }

    @Nested
    class PropertiesAndStatus {
        int get(String path, int ptr, int len) {
            return probe.call("proxy_get_property", probe.put(path), path.length(), ptr, len);
        }

        @Test
        void envoyNamesAndEncodings() {
            int ptr = probe.out();
            int len = probe.out();
            assertThat(get("plugin_name", ptr, len)).isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("probe");
            assertThat(get("request\0path", ptr, len)).isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("/p?q=1");
            assertThat(get("request\0url_path", ptr, len)).isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("/p");
            assertThat(get("request.method", ptr, len)).as("dotted form").isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("GET");
            assertThat(get("request\0duration", ptr, len)).isEqualTo(OK);
            assertThat(probe.returned(ptr, len)).as("int64 little-endian").hasSize(8);
            assertThat(AbiProbe.le64(probe.returned(ptr, len))).isPositive();
            assertThat(get("no\0such\0thing", ptr, len)).isEqualTo(NOT_FOUND);
        }

        @Test
        void setPropertyIsVisibleToTheSameStreamOnly() {
            String path = "filter_state\0mine";
            assertThat(
                            probe.call(
                                    "proxy_set_property",
                                    probe.put(path),
                                    path.length(),
                                    probe.put("v"),
                                    1))
                    .isEqualTo(OK);
            int ptr = probe.out();
            int len = probe.out();
            assertThat(get(path, ptr, len)).isEqualTo(OK);
            assertThat(probe.returnedString(ptr, len)).isEqualTo("v");
            probe.vm.setEffectiveContext(probe.vm.rootContextId());
            assertThat(
                            probe.callAsIs(
                                    "proxy_get_property", probe.put(path), path.length(), ptr, len))
                    .isEqualTo(NOT_FOUND);
        }

        @Test
        void setEffectiveContextRefusesUnknownContexts() {
            assertThat(probe.call("proxy_set_effective_context", 777)).isEqualTo(BAD_ARGUMENT);
            assertThat(probe.call("proxy_set_effective_context", probe.vm.rootContextId()))
                    .isEqualTo(OK);
        }

        @Test
        void getStatusStartsAtZeroWithNoMessage() {
            int code = probe.out();
            int ptr = probe.out();
            int len = probe.out();
            assertThat(probe.call("proxy_get_status", code, ptr, len)).isEqualTo(OK);
            assertThat(probe.u32(code)).isZero();
            assertThat(probe.u32(len)).isZero();
        }

        @Test
        void httpCallToAnUnknownUpstreamIsBadArgument() {
            String upstream = "nowhere";
            byte[] headers = HeaderPairs.serialize(HeaderMap.of(":method", "GET", ":path", "/"));
            int status =
                    probe.call(
                            "proxy_http_call",
                            probe.put(upstream),
                            upstream.length(),
                            probe.put(headers),
                            headers.length,
                            0,
                            0,
                            0,
                            0,
                            1000,
                            probe.out());
            assertThat(status).isIn(BAD_ARGUMENT, NOT_FOUND);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

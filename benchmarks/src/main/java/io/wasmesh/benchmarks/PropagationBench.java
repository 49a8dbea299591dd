package io.wasmesh.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.Format;
import io.wasmesh.controlplane.ControlPlaneNode;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.proxy.MeshProxy;
import io.wasmesh.proxy.sync.ControlPlaneSync;
import io.wasmesh.proxy.sync.LocalRevisionStore;
import io.wasmesh.wasm.exec.WasmScheduler;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Config propagation: the time from a tenant's config write through the REST API to the moment
 * every proxy has applied it. One JVM: {@code members} control-plane nodes (Hazelcast members on
 * loopback, write-through to a file store), {@code proxies} real proxies spread over the members,
 * each revision a new document whose filter (a C proxy-wasm module) every proxy restarts.
 * Sequential writes: each waits until every proxy has applied it, so this is latency, not
 * throughput.
 *
 * <p>{@code java -cp benchmarks.jar io.wasmesh.benchmarks.PropagationBench [members] [proxies]
 * [writes] [warmup]}
 */
public final class PropagationBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int proxies = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int writes = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path dir = Files.createTempDirectory("wasmesh-propagation");
        String cluster = "bench-" + UUID.randomUUID();
        String operator = "wm_bench-operator";
        List<String> memberList = new ArrayList<>();
        List<Integer> memberPorts = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            int p = freePort();
            memberPorts.add(p);
            memberList.add("127.0.0.1:" + p);
        }
        List<ControlPlaneNode> nodes = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            nodes.add(
                    new ControlPlaneNode(
                                    new ControlPlaneNode.Options(
                                            "cp-" + i,
                                            cluster,
                                            "127.0.0.1",
                                            memberPorts.get(i),
                                            memberList,
                                            "127.0.0.1",
                                            0,
                                            Persistence.files(dir.resolve("store")),
                                            null,
                                            operator,
                                            new ApiServer.Limits(
                                                    16 << 20, 1 << 20, 64 << 10, 1e6, 1_000_000),
                                            null))
                            .start());
        }
        String api = nodes.get(0).apiUrl();
        call(
                "POST",
                api + "/v1/tenants",
                operator,
                "{\"name\":\"bench\",\"domains\":[\"bench\"]}",
                "application/json");
        String tenantToken =
                field(
                        call(
                                "POST",
                                api + "/v1/tenants/bench/tokens",
                                operator,
                                "{}",
                                "application/json"),
                        "token");
        String proxyToken =
                field(
                        call(
                                "POST",
                                api + "/v1/tokens",
                                operator,
                                "{\"role\":\"proxy\"}",
                                "application/json"),
                        "token");
        byte[] wasm;
        try (InputStream in =
                PropagationBench.class.getResourceAsStream("/examples/c/add_header.wasm")) {
            wasm = in.readAllBytes();
        }
        String sha =
                field(callBytes(api + "/v1/tenants/bench/modules", tenantToken, wasm), "sha256");

        // Proxies share two Vert.x event loops, as sidecars on a busy host would share cores.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ConcurrentHashMap<Long, CountDownLatch> pending = new ConcurrentHashMap<>();
        List<ControlPlaneSync> syncs = new ArrayList<>();
        for (int i = 0; i < proxies; i++) {
            LocalRevisionStore store = new LocalRevisionStore(dir.resolve("proxy-" + i));
            MeshProxy proxy =
                    MeshProxy.start(
                                    vertx,
                                    ConfigLoader.parse(
                                            "admin: {address: 127.0.0.1, port: 0}\n"
                                                    + "listeners: [{name: http, address: 127.0.0.1, port: 0}]\n",
                                            "bootstrap",
                                            Format.YAML),
                                    new MeshProxy.Options(
                                                    null,
                                                    1,
                                                    Duration.ofSeconds(1),
                                                    WasmScheduler.Config.defaults().withWorkers(1),
                                                    Duration.ofMinutes(5),
                                                    null,
                                                    null,
                                                    null)
                                            .withModuleStore(store.modulesDir()))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(60, TimeUnit.SECONDS);
            ControlPlaneSync sync =
                    ControlPlaneSync.start(
                                    vertx,
                                    proxy,
                                    store,
                                    new ControlPlaneSync.Options(
                                            List.of(URI.create(nodes.get(i % members).apiUrl())),
                                            proxyToken,
                                            "proxy-" + i))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(60, TimeUnit.SECONDS);
            sync.watch(
                    o -> {
                        CountDownLatch l = pending.get(o.revision());
                        if (l != null && o.tenant().equals("bench")) {
                            l.countDown();
                        }
                    });
            syncs.add(sync);
        }

        long[] fromSend = new long[writes];
        long[] fromAck = new long[writes];
        long[] apiRoundTrip = new long[writes];
        for (int i = -warmup; i < writes; i++) {
            String doc =
                    "filters:\n  - {name: tag, module: \"sha256:%s\", configuration: \"add=x-rev: %d\"}\n"
                                    .formatted(sha, i)
                            + "routes:\n  - match: {prefix: /}\n    directResponse: {status: 200, body: \"%d\"}\n"
                                    .formatted(i);
            // The revision this write will make is unknown until it is answered; proxies may apply
            // it before the answer arrives, so the latch is registered for the next number first.
            long expected = revisionOf(api, operator) + 1;
            CountDownLatch all = new CountDownLatch(proxies);
            pending.put(expected, all);
            long sent = System.nanoTime();
            String answer =
                    call(
                            "PUT",
                            api + "/v1/tenants/bench/config",
                            tenantToken,
                            doc,
                            "application/yaml");
            long acked = System.nanoTime();
            long revision = Long.parseLong(field(answer, "revision"));
            if (revision != expected) {
                throw new IllegalStateException("revision " + revision + ", expected " + expected);
            }
            if (!all.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("revision " + revision + " not applied everywhere");
            }
            long done = System.nanoTime();
            pending.remove(expected);
            if (i >= 0) {
                fromSend[i] = done - sent;
                fromAck[i] = Math.max(0, done - acked);
                apiRoundTrip[i] = acked - sent;
            }
        }
        System.out.printf(
                "members=%d proxies=%d writes=%d (after %d warm-up writes)%n",
                members, proxies, writes, warmup);
        report("API write -> all proxies applied", fromSend);
        report("API answer -> all proxies applied", fromAck);
        report("API write round trip (201)", apiRoundTrip);
        for (ControlPlaneSync s : syncs) {
            s.close();
        }
        vertx.close();
        for (ControlPlaneNode n : nodes) {
            n.close();
        }
        System.exit(0);
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(
                "%-36s p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n",
                what, ms(pct(s, 50)), ms(pct(s, 90)), ms(pct(s, 99)), ms(s[s.length - 1]));
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long revisionOf(String api, String operator) throws Exception {
        return Long.parseLong(
                field(call("GET", api + "/v1/tenants/bench", operator, null, null), "revision"));
    }

    private static String call(String method, String url, String token, String body, String type)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url))
                        .header("authorization", "Bearer " + token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("content-type", type);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String callBytes(String url, String token, byte[] body) throws Exception {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create(url))
                        .header("authorization", "Bearer " + token)
                        .header("content-type", "application/wasm")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String field(String json, String name) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path(name).asText();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

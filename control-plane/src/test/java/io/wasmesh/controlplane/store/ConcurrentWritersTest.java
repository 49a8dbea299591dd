package io.wasmesh.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.controlplane.testing.Api;
import io.wasmesh.controlplane.testing.Fixtures;
import io.wasmesh.controlplane.testing.TestCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writers racing through different members: none loses another's update. Each config write gets its
 * own revision; of writers holding the same {@code If-Match} exactly one wins; a quota holds
 * against concurrent uploads.
 */
class ConcurrentWritersTest {
    static final int WRITERS = 8;
    static TestCluster cluster;
    static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3);
        pool = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        cluster.close();
    }

    /** Runs {@code WRITERS} tasks released together, one per member in turn. */
    static <T> List<T> race(java.util.function.IntFunction<Callable<T>> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Callable<T> c = task.apply(i);
            futures.add(
                    pool.submit(
                            () -> {
                                start.await();
                                return c.call();
                            }));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    static Api on(int member, Api caller) {
        return caller.at(cluster.node(member).apiUrl());
    }

    static String doc(int i) {
        return "routes:\n  - match: {prefix: /}\n    directResponse: {status: 200, body: \"w%d\"}\n"
                .formatted(i);
    }

    @Test
    void everyConcurrentWriteGetsItsOwnRevision() throws Exception {
        Api shop = Fixtures.tenant(cluster.operator(0), "racers");
        List<Api.Response> answers =
                race(i -> () -> on(i % 3, shop).putYaml("/v1/tenants/racers/config", doc(i)));
        Set<Long> revisions = new HashSet<>();
        for (Api.Response r : answers) {
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            revisions.add(r.json().path("revision").asLong());
        }
        assertThat(revisions).hasSize(WRITERS).allMatch(n -> n >= 2 && n <= WRITERS + 1);
        var history = shop.get("/v1/tenants/racers/config/revisions").json();
        assertThat(history).hasSize(WRITERS + 1);
    }

    @Test
    void ofWritersHoldingTheSameIfMatchExactlyOneWins() throws Exception {
        Api shop = Fixtures.tenant(cluster.operator(0), "guarded");
        List<Api.Response> answers =
                race(
                        i ->
                                () ->
                                        on(i % 3, shop)
                                                .putYaml(
                                                        "/v1/tenants/guarded/config",
                                                        doc(i),
                                                        "if-match",
                                                        "\"1\""));
        assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(1);
        assertThat(answers.stream().filter(r -> r.status() == 412)).hasSize(WRITERS - 1);
        assertThat(shop.get("/v1/tenants/guarded").json().path("revision").asLong()).isEqualTo(2);
    }

    @Test
    void theModuleQuotaHoldsAgainstConcurrentUploads() throws Exception {
        Api shop = Fixtures.tenant(cluster.operator(0), "uploads");
        assertThat(
                        cluster.operator(0)
                                .patchJson("/v1/tenants/uploads", "{\"quota\":{\"modules\":3}}")
                                .status())
                .isEqualTo(200);
        // Eight different modules: the same filter with one custom section each.
        List<Api.Response> answers =
                race(
                        i ->
                                () ->
                                        on(i % 3, shop)
                                                .postWasm(
                                                        "/v1/tenants/uploads/modules",
                                                        withCustomSection(
                                                                Fixtures.filter("add_header"), i)));
        assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(3);
        assertThat(answers.stream().filter(r -> r.status() == 413)).hasSize(WRITERS - 3);
        assertThat(shop.get("/v1/tenants/uploads/modules").json()).hasSize(3);
    }

    /** Appends a custom section (id 0) named "n" holding one byte: a new digest, same code. */
    static byte[] withCustomSection(byte[] wasm, int n) {
        byte[] out = java.util.Arrays.copyOf(wasm, wasm.length + 5);
        int at = wasm.length;
        out[at] = 0; // custom section
        out[at + 1] = 3; // size: name length, name, payload
        out[at + 2] = 1; // name length
        out[at + 3] = 'n';
        out[at + 4] = (byte) n;
        return out;
    }
}

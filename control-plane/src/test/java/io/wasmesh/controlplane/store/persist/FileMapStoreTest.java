package io.wasmesh.controlplane.store.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMapStoreTest {
    @TempDir Path data;

    @Test
    void storesLoadsAndOverwrites() {
        FileMapStore store = FileMapStore.forMap(data, "wasmesh.tenants");
        store.store("acme", bytes("{\"revision\":1}"));
        store.store("acme", bytes("{\"revision\":2}"));

        assertThat(store.load("acme")).isEqualTo(bytes("{\"revision\":2}"));
        assertThat(store.load("globex")).isNull();
        assertThat(store.loadAllKeys()).containsExactly("acme");
    }

    @Test
    void aValueIsStoredAsItIsSoTheJsonStaysReadable() throws IOException {
        FileMapStore store = FileMapStore.forMap(data, "wasmesh.tenants");
        store.store("acme", bytes("{\"name\":\"acme\"}"));

        assertThat(data.resolve("wasmesh.tenants").resolve("acme"))
                .hasContent("{\"name\":\"acme\"}");
    }

    @Test
    void oddKeysRoundTripAndNeverLeaveTheMapDirectory() throws IOException {
        List<String> keys =
                List.of(
                        "acme/0f3a",
                        "../escape",
                        "../../etc/passwd",
                        "/absolute",
                        ".",
                        "..",
                        "",
                        ".hidden",
                        "a:b:c",
                        "back\\slash",
                        "%41 is not A",
                        "~tilde",
                        "tab\tnew\nline",
                        "nul\u0000byte",
                        "*?<>|\"",
                        "Acme",
                        "acme",
                        "日本語/テナント",
                        "emoji 😀");
        FileMapStore store = FileMapStore.forMap(data, "wasmesh.documents");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        keys.forEach(k -> entries.put(k, bytes("value of " + k)));
        store.storeAll(entries);

        for (String key : keys) {
            assertThat(store.load(key)).as(key).isEqualTo(bytes("value of " + key));
        }
        assertThat(store.loadAllKeys()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(store.loadAll(List.of("..", "Acme", "missing"))).containsOnlyKeys("..", "Acme");
        Path mapDir = data.resolve("wasmesh.documents");
        try (Stream<Path> all = Files.walk(data)) {
            assertThat(all.filter(p -> !p.equals(data)))
                    .hasSize(keys.size() + 1)
                    .allSatisfy(
                            p ->
                                    assertThat(p.equals(mapDir) || p.getParent().equals(mapDir))
                                            .isTrue());
        }
    }

    @Test
    void veryLongKeysGetValidNamesAndRoundTrip() throws IOException {
        String prefix = "tenant/" + "ü".repeat(2_000);
        List<String> keys = List.of(prefix + "a", prefix + "b", "x".repeat(200), "x".repeat(201));
        FileMapStore store = FileMapStore.forMap(data, "wasmesh.modules");
        keys.forEach(k -> store.store(k, bytes(k.substring(k.length() - 1))));

        keys.forEach(k -> assertThat(store.load(k)).isEqualTo(bytes(k.substring(k.length() - 1))));
        assertThat(store.loadAllKeys()).containsExactlyInAnyOrderElementsOf(keys);
        try (Stream<Path> files = Files.list(store.directory())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .hasSize(4)
                    .allSatisfy(n -> assertThat(n.getBytes(UTF_8).length).isLessThanOrEqualTo(255));
        }
        store.delete(prefix + "a");
        assertThat(store.loadAllKeys())
                .containsExactlyInAnyOrder(keys.get(1), keys.get(2), keys.get(3));
    }

    @Test
    void deleteRemovesTheEntryAndMissingKeysAreNoError() throws IOException {
        FileMapStore store = FileMapStore.forMap(data, "wasmesh.tokens");
        store.storeAll(Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3"), "d", bytes("4")));

        store.delete("a");
        store.delete("never-there");
        store.deleteAll(List.of("b", "c", "also-never-there"));

        assertThat(store.load("a")).isNull();
        assertThat(store.loadAllKeys()).containsExactly("d");
        try (Stream<Path> files = Files.list(store.directory())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("d");
        }
    }

    @Test
    void leftoverTempFilesAreIgnoredAndStaleOnesRemovedAtStart() throws IOException {
        Path dir = data.resolve("wasmesh.tenants");
        Files.createDirectories(dir);
        Path stale = dir.resolve(FileMapStore.TEMP_PREFIX + "crashed");
        Files.write(stale, bytes("{\"half"));
        Files.setLastModifiedTime(
                stale,
                FileTime.from(
                        Instant.now()
                                .minus(FileMapStore.STALE_TEMP_AGE)
                                .minus(Duration.ofMinutes(1))));
        // Young: may be another member's write in progress on a shared folder.
        Path inProgress = dir.resolve(FileMapStore.TEMP_PREFIX + "writing");
        Files.write(inProgress, bytes("{\"half"));
        Files.write(dir.resolve("README.md"), bytes("not an entry"));

        FileMapStore store = new FileMapStore(dir);

        assertThat(stale).doesNotExist();
        assertThat(inProgress).exists();
        assertThat(store.loadAllKeys()).isEmpty();
        store.store("acme", bytes("{}"));
        assertThat(store.loadAllKeys()).containsExactly("acme");
    }

    @Test
    void twoStoresOnOneFolderWriteConcurrentlyAndNeverTearAValue() throws Exception {
        FileMapStore a = FileMapStore.forMap(data, "wasmesh.modules");
        FileMapStore b = FileMapStore.forMap(data, "wasmesh.modules");
        byte[] fromA = filled('a', 64 * 1024);
        byte[] fromB = filled('b', 48 * 1024);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            Future<?> writerA = threads.submit(() -> write(go, a, "a-", fromA));
            Future<?> writerB = threads.submit(() -> write(go, b, "b-", fromB));
            Future<List<byte[]>> reader =
                    threads.submit(
                            () -> {
                                List<byte[]> seen = new ArrayList<>();
                                go.await();
                                while (writing.get()) {
                                    byte[] shared = a.load("shared");
                                    if (shared != null) {
                                        seen.add(shared);
                                    }
                                }
                                return seen;
                            });
            go.countDown();
            writerA.get();
            writerB.get();
            writing.set(false);

            assertThat(reader.get())
                    .allSatisfy(
                            v ->
                                    assertThat(Arrays.equals(v, fromA) || Arrays.equals(v, fromB))
                                            .as("a whole value of one writer")
                                            .isTrue());
        } finally {
            threads.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("a-" + i);
            expected.add("b-" + i);
        }
        expected.add("shared");
        assertThat(a.loadAllKeys()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(b.loadAllKeys()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(b.load("shared"))
                .satisfiesAnyOf(
                        v -> assertThat(v).isEqualTo(fromA), v -> assertThat(v).isEqualTo(fromB));
        try (Stream<Path> files = Files.list(a.directory())) {
            assertThat(files.map(f -> f.getFileName().toString()).collect(Collectors.toList()))
                    .noneMatch(n -> n.startsWith("."));
        }
    }

    private static Void write(CountDownLatch go, FileMapStore store, String prefix, byte[] value)
            throws InterruptedException {
        go.await();
        for (int i = 0; i < 100; i++) {
            store.store(prefix + i, value);
            store.store("shared", value);
        }
        return null;
    }

    private static byte[] filled(char c, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}

package io.wasmesh.controlplane.store.persist;

import com.hazelcast.map.MapStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One map in one directory, one file per entry, the file holding the value as it is (JSON stays
 * readable with {@code cat}). File names come from {@link KeyFileNames}; a key too long for a file
 * name gets a hashed name and its file starts with the encoded key and a newline.
 *
 * <p>A write goes to a new temp file in the same directory, is fsynced, renamed over the entry and
 * the directory is fsynced: a reader sees the old or the new value, never part of one, and a
 * returned write survives a crash. So several members may share the directory: they write different
 * keys (each the keys of the partitions it owns), and when two write the same key during a
 * migration the last rename wins. Temp names start with a dot, which no entry's name does.
 */
public final class FileMapStore implements MapStore<String, byte[]> {
    static final String TEMP_PREFIX = ".tmp-";

    /**
     * A temp file this old is a crashed writer's. Younger ones may be another member's write in
     * progress on a shared directory, so they are only ignored.
     */
    static final Duration STALE_TEMP_AGE = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(FileMapStore.class.getName());
    // Windows cannot open a directory to fsync it; NTFS journals the rename itself.
    private static final boolean FSYNC_DIRECTORIES =
            !System.getProperty("os.name", "").startsWith("Windows");

    private final Path dir;

    /** Stores entries in {@code dir}, creating it, and removes temp files crashes left there. */
    public FileMapStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                fsyncDirectory(parent);
            }
            removeStaleTemps();
        } catch (IOException e) {
            throw new PersistenceException("file store: cannot open directory " + dir, e);
        }
    }

    /**
     * The store of map {@code mapName} in a data folder: the folder's subdirectory named after it.
     */
    public static FileMapStore forMap(Path dataDir, String mapName) {
        return new FileMapStore(dataDir.resolve(KeyFileNames.fileName(mapName)));
    }

    public Path directory() {
        return dir;
    }

    @Override
    public byte[] load(String key) {
        String name = KeyFileNames.fileName(key);
        byte[] content;
        try {
            content = Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("load", key, e);
        }
        return KeyFileNames.isHashed(name) ? withoutKeyLine(key, name, content) : content;
    }

    @Override
    public Map<String, byte[]> loadAll(Collection<String> keys) {
        Map<String, byte[]> found = new HashMap<>();
        for (String key : keys) {
            byte[] value = load(key);
            if (value != null) {
                found.put(key, value);
            }
        }
        return found;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(file)) {
                    continue; // temp files (ours or another member's) and whatever is not an entry
                }
                String key = keyOf(file, name);
                if (key != null) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new PersistenceException("file store: cannot list " + dir, e);
        }
        return keys;
    }

    @Override
    public void store(String key, byte[] value) {
        write(key, value);
        fsyncDirectoryOrFail("store", key);
    }

    /** Each entry is replaced atomically; the directory is synced once for all of them. */
    @Override
    public void storeAll(Map<String, byte[]> entries) {
        if (entries.isEmpty()) {
            return;
        }
        entries.forEach(this::write);
        fsyncDirectoryOrFail("store", entries.keySet().iterator().next());
    }

    @Override
    public void delete(String key) {
        remove(key);
        fsyncDirectoryOrFail("delete", key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        keys.forEach(this::remove);
        fsyncDirectoryOrFail("delete", keys.iterator().next());
    }

    private void write(String key, byte[] value) {
        String name = KeyFileNames.fileName(key);
        byte[] keyLine =
                KeyFileNames.isHashed(name)
                        ? (KeyFileNames.encode(key) + "\n").getBytes(StandardCharsets.US_ASCII)
                        : new byte[0];
        // A random name: members sharing the directory never write into each other's temp file.
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            try (FileChannel out =
                    FileChannel.open(
                            temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer[] content = {ByteBuffer.wrap(keyLine), ByteBuffer.wrap(value)};
                while (content[0].hasRemaining() || content[1].hasRemaining()) {
                    out.write(content);
                }
                out.force(true);
            }
            Files.move(
                    temp,
                    dir.resolve(name),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("store", key, e);
        }
    }

    private void remove(String key) {
        try {
            Files.deleteIfExists(dir.resolve(KeyFileNames.fileName(key)));
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    /** The key of an entry file, or {@code null} when the file is not one of ours or is gone. */
    private String keyOf(Path file, String name) throws IOException {
        String key;
        if (KeyFileNames.isHashed(name)) {
            try {
                String line = readKeyLine(file);
                key = line == null ? null : KeyFileNames.decode(line);
            } catch (NoSuchFileException deletedMeanwhile) {
                return null;
            }
            if (key != null && !KeyFileNames.fileName(key).equals(name)) {
                key = null;
            }
        } else {
            key = KeyFileNames.decode(name);
        }
        if (key == null) {
            LOG.log(System.Logger.Level.WARNING, "file store: ignoring {0}, not an entry", file);
        }
        return key;
    }

    private static String readKeyLine(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.US_ASCII);
                }
                line.write(b);
            }
            return null;
        }
    }

    private byte[] withoutKeyLine(String key, String name, byte[] content) {
        byte[] expected = (KeyFileNames.encode(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        if (content.length < expected.length
                || !Arrays.equals(content, 0, expected.length, expected, 0, expected.length)) {
            throw new PersistenceException(
                    "file store: " + dir.resolve(name) + " does not hold key " + quoted(key), null);
        }
        return Arrays.copyOfRange(content, expected.length, content.length);
    }

    private void removeStaleTemps() throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path temp : temps) {
                try {
                    if (Files.getLastModifiedTime(temp).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(temp);
                        LOG.log(System.Logger.Level.INFO, "file store: removed stale {0}", temp);
                    }
                } catch (NoSuchFileException renamedMeanwhile) {
                    // another member finished that write
                }
            }
        }
    }

    private void fsyncDirectoryOrFail(String operation, String key) {
        try {
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw failure(operation, key, e);
        }
    }

    private static void fsyncDirectory(Path directory) throws IOException {
        if (FSYNC_DIRECTORIES) {
            try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "file store: cannot remove " + temp, e);
        }
    }

    private PersistenceException failure(String operation, String key, IOException e) {
        return new PersistenceException(
                "file store " + dir + ": cannot " + operation + " key " + quoted(key) + ": " + e,
                e);
    }

    static String quoted(String key) {
        return "'" + (key.length() <= 100 ? key : key.substring(0, 100) + "…") + "'";
    }
}

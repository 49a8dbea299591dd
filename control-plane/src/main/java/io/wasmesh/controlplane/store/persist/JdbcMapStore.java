package io.wasmesh.controlplane.store.persist;

import com.hazelcast.map.MapStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * One map's rows in the PostgreSQL table of {@link PostgresPool}: {@code (map_name, key) → value}.
 * Every method takes a pooled connection for its own work, so Hazelcast's threads may call it at
 * once. Keys are {@code text}, which cannot hold NUL: a key with one fails to store.
 */
public final class JdbcMapStore implements MapStore<String, byte[]> {
    private static final String T = PostgresPool.TABLE;
    private static final String LOAD = "SELECT value FROM " + T + " WHERE map_name = ? AND key = ?";
    private static final String LOAD_ALL =
            "SELECT key, value FROM " + T + " WHERE map_name = ? AND key = ANY(?)";
    private static final String LOAD_ALL_KEYS = "SELECT key FROM " + T + " WHERE map_name = ?";
    private static final String UPSERT =
            "INSERT INTO "
                    + T
                    + " (map_name, key, value, updated_at) VALUES (?, ?, ?, now())"
                    + " ON CONFLICT (map_name, key)"
                    + " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
    private static final String DELETE = "DELETE FROM " + T + " WHERE map_name = ? AND key = ?";
    private static final String DELETE_ALL =
            "DELETE FROM " + T + " WHERE map_name = ? AND key = ANY(?)";

    private final DataSource db;
    private final String mapName;

    /** The store of {@code mapName}; the table must exist (see {@link PostgresPool#open}). */
    public JdbcMapStore(DataSource db, String mapName) {
        this.db = db;
        this.mapName = mapName;
    }

    @Override
    public byte[] load(String key) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(LOAD)) {
            s.setString(1, mapName);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw failure("load key " + FileMapStore.quoted(key), e);
        }
    }

    @Override
    public Map<String, byte[]> loadAll(Collection<String> keys) {
        Map<String, byte[]> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(LOAD_ALL)) {
            Array array = c.createArrayOf("text", keys.toArray());
            s.setString(1, mapName);
            s.setArray(2, array);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.put(r.getString(1), r.getBytes(2));
                }
            }
            array.free();
            return found;
        } catch (SQLException e) {
            throw failure("load " + keys.size() + " keys", e);
        }
    }

    @Override
    public Iterable<String> loadAllKeys() {
        List<String> keys = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(LOAD_ALL_KEYS)) {
            s.setString(1, mapName);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw failure("list keys", e);
        }
    }

    @Override
    public void store(String key, byte[] value) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(UPSERT)) {
            bindUpsert(s, key, value);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("store key " + FileMapStore.quoted(key), e);
        }
    }

    /** All or nothing, in key order so that two overlapping batches cannot deadlock. */
    @Override
    public void storeAll(Map<String, byte[]> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(UPSERT)) {
                for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
                    bindUpsert(s, e.getKey(), e.getValue());
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("store " + entries.size() + " keys", e);
        }
    }

    @Override
    public void delete(String key) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(DELETE)) {
            s.setString(1, mapName);
            s.setString(2, key);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete key " + FileMapStore.quoted(key), e);
        }
    }

    /** One statement, so one transaction. */
    @Override
    public void deleteAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(DELETE_ALL)) {
            Array array = c.createArrayOf("text", keys.toArray());
            s.setString(1, mapName);
            s.setArray(2, array);
            s.executeUpdate();
            array.free();
        } catch (SQLException e) {
            throw failure("delete " + keys.size() + " keys", e);
        }
    }

    private void bindUpsert(PreparedStatement s, String key, byte[] value) throws SQLException {
        s.setString(1, mapName);
        s.setString(2, key);
        s.setBytes(3, value);
    }

    private PersistenceException failure(String what, SQLException e) {
        return new PersistenceException(
                "PostgreSQL store, map "
                        + mapName
                        + ": cannot "
                        + what
                        + ": "
                        + e.getMessage()
                        + " (SQLState "
                        + e.getSQLState()
                        + ")",
                e);
    }
}

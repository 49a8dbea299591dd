package io.wasmesh.controlplane.store.persist;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A connection pool on the PostgreSQL database of the store, with the store's table created.
 * Hazelcast calls a map store from many threads at once (partition and offload threads), so the
 * stores share this pool rather than a connection.
 */
public final class PostgresPool implements AutoCloseable {
    /** Every persisted map in one table, told apart by {@code map_name}. */
    static final String TABLE = "wasmesh_store";

    private static final String CREATE_TABLE =
            "CREATE TABLE IF NOT EXISTS "
                    + TABLE
                    + " (map_name text NOT NULL, key text NOT NULL, value bytea NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (map_name, key))";
    // Two members starting together would both CREATE: PostgreSQL can fail one with a duplicate
    // key in its catalog, so creation is serialized on an advisory lock (any fixed number).
    private static final long CREATE_LOCK = 0x7761736d65736831L;

    private final HikariDataSource pool;

    private PostgresPool(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects (failing at once with the reason when the server cannot be reached or refuses the
     * login) and creates the table if it is absent.
     */
    public static PostgresPool open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("wasmesh-store");
        config.setMaximumPoolSize(10);
        // A write-through put waits for its connection: fail it in seconds, not Hikari's 30.
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("ApplicationName", "wasmesh-control-plane");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new PersistenceException(
                    "PostgreSQL store unreachable at "
                            + jdbcUrl
                            + " as user '"
                            + user
                            + "': "
                            + reason(e),
                    e);
        }
        try {
            createTable(pool);
        } catch (SQLException e) {
            pool.close();
            throw new PersistenceException(
                    "PostgreSQL store at "
                            + jdbcUrl
                            + ": cannot create table "
                            + TABLE
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return new PostgresPool(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    public boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void createTable(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                s.execute(CREATE_TABLE);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The driver's words (which say what failed and what to check), not the pool's wrapping. */
    private static String reason(Throwable e) {
        Throwable last = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return t.getMessage();
            }
            last = t;
        }
        return last.getMessage() != null ? last.getMessage() : last.toString();
    }
}

package io.wasmesh.controlplane.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A private PostgreSQL server for the tests of a run: {@code initdb} into a temp directory, {@code
 * pg_ctl start} on a free loopback port with the socket in that directory, stopped and deleted when
 * the run ends. It is started once and shared by every class that uses the extension; each test
 * takes its own database from {@link Server#newDatabase()}.
 *
 * <p>The binaries come from {@code PATH}, then {@code /usr/lib/postgresql/<version>/bin} (Debian).
 * initdb refuses to run as root, so under root the server runs as the {@code postgres} system user.
 * With no server to find or start, the tests are skipped, saying why; nothing is installed here
 * ({@code scripts/ensure-postgres.sh} does that for CI).
 */
public final class PostgresServer implements BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresServer.class);
    private static final String SUPERUSER = "wasmesh";
    private static final String SYSTEM_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    /** A running server and the superuser's credentials. */
    public static final class Server {
        private final int port;
        private final String password;
        private final AtomicInteger databases = new AtomicInteger();

        Server(int port, String password) {
            this.port = port;
            this.password = password;
        }

        public int port() {
            return port;
        }

        public String user() {
            return SUPERUSER;
        }

        public String password() {
            return password;
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        /** A new empty database; its JDBC URL. */
        public String newDatabase() {
            String name = "test_" + databases.incrementAndGet();
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user(), password);
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + name, e);
            }
            return jdbcUrl(name);
        }
    }

    // Per test, not per class: Surefire reports a class aborted in beforeAll as 0 tests, silently.
    @Override
    public void beforeEach(ExtensionContext context) {
        available(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return available(context);
    }

    private static Server available(ExtensionContext context) {
        Startup startup = startup(context);
        assumeTrue(startup.server != null, startup.skipReason);
        return startup.server;
    }

    // In the root store: one server per run, closed (stopped, deleted) when the run ends.
    private static Startup startup(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Startup.class, k -> Startup.attempt(), Startup.class);
    }

    /** The outcome of trying once: a server, or why there is none. */
    static final class Startup implements AutoCloseable {
        final Server server;
        final String skipReason;
        private final Path dir;
        private final Path binDir;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread stopOnExit;

        private Startup(Server server, String skipReason, Path dir, Path binDir) {
            this.server = server;
            this.skipReason = skipReason;
            this.dir = dir;
            this.binDir = binDir;
            // A run killed with Ctrl-C ends without closing the store: leave no server behind.
            this.stopOnExit = new Thread(this::stop, "postgres-test-server-stop");
            if (server != null) {
                Runtime.getRuntime().addShutdownHook(stopOnExit);
            }
        }

        static Startup skipped(String reason) {
            String message = "PostgreSQL tests skipped: " + reason;
            System.err.println(message); // once per run, where CI logs show it
            return new Startup(null, message, null, null);
        }

        static Startup attempt() {
            Optional<Path> bin = findBinaries();
            if (bin.isEmpty()) {
                return skipped(
                        "no initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin. Install"
                                + " the server to run them (Debian/Ubuntu: apt-get install"
                                + " postgresql; scripts/ensure-postgres.sh does it as root).");
            }
            boolean root = isRoot();
            if (root && systemUser().isEmpty()) {
                return skipped(
                        "running as root, and initdb refuses root, but there is no '"
                                + SYSTEM_USER
                                + "' user to run the server as (apt-get install postgresql"
                                + " creates it).");
            }
            Path dir = null;
            try {
                dir = Files.createTempDirectory("wasmesh-pg-");
                return start(bin.get(), dir, root);
            } catch (Exception e) {
                stopHalfStarted(bin.get(), dir, root);
                deleteTree(dir);
                return skipped(
                        "PostgreSQL in "
                                + bin.get()
                                + " could not be started: "
                                + e.getMessage()
                                + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }

        private static Startup start(Path bin, Path dir, boolean root) throws Exception {
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            if (root) {
                UserPrincipal postgres = systemUser().orElseThrow();
                Files.setOwner(dir, postgres);
                Files.setOwner(pwfile, postgres);
            }
            Path data = dir.resolve("data");
            run(
                    bin,
                    dir,
                    root,
                    "initdb",
                    List.of(
                            "-D",
                            data.toString(),
                            "-U",
                            SUPERUSER,
                            "--pwfile=" + pwfile,
                            "--auth=scram-sha-256",
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--no-sync"));
            // A port free a moment ago may be taken by the time the server binds: try another.
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                String options =
                        "-p "
                                + port
                                + " -k "
                                + dir
                                + " -c listen_addresses=127.0.0.1"
                                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
                try {
                    run(
                            bin,
                            dir,
                            root,
                            "pg_ctl",
                            List.of(
                                    "-D",
                                    data.toString(),
                                    "-l",
                                    dir.resolve("server.log").toString(),
                                    "-w",
                                    "-t",
                                    "30",
                                    "-o",
                                    options,
                                    "start"));
                    return new Startup(new Server(port, password), null, dir, bin);
                } catch (IOException e) {
                    last = e;
                    String log = readQuietly(dir.resolve("server.log"));
                    if (!log.contains("already in use")) {
                        throw new IOException(e.getMessage() + "\nserver log:\n" + log, e);
                    }
                }
            }
            throw last;
        }

        @Override
        public void close() {
            stop();
            if (server != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or ran
                }
            }
        }

        private void stop() {
            if (server == null || !stopped.compareAndSet(false, true)) {
                return;
            }
            try {
                run(
                        binDir,
                        dir,
                        isRoot(),
                        "pg_ctl",
                        List.of(
                                "-D",
                                dir.resolve("data").toString(),
                                "-m",
                                "immediate",
                                "-w",
                                "stop"));
            } catch (IOException | InterruptedException e) {
                System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e);
                return; // keep the directory of a server that may still run
            }
            deleteTree(dir);
        }

        /** A start that timed out may have left a server running in the directory. */
        private static void stopHalfStarted(Path bin, Path dir, boolean root) {
            if (dir != null && Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                try {
                    run(
                            bin,
                            dir,
                            root,
                            "pg_ctl",
                            List.of(
                                    "-D",
                                    dir.resolve("data").toString(),
                                    "-m",
                                    "immediate",
                                    "stop"));
                } catch (IOException | InterruptedException e) {
                    System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e);
                }
            }
        }

        /** Runs a PostgreSQL program, as the postgres user when we are root; fails on rc != 0. */
        private static void run(Path bin, Path dir, boolean root, String program, List<String> args)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(bin.resolve(program).toString());
            command.addAll(args);
            if (root) {
                command = asSystemUser(command);
            }
            Path out = Files.createTempFile("wasmesh-pg-" + program, ".out");
            try {
                Process p =
                        new ProcessBuilder(command)
                                .directory(dir.toFile()) // a directory the postgres user can enter
                                .redirectErrorStream(true)
                                .redirectOutput(out.toFile()) // not a pipe the server could inherit
                                .start();
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(program + " did not finish in 60 s");
                }
                if (p.exitValue() != 0) {
                    throw new IOException(
                            program
                                    + " exited with "
                                    + p.exitValue()
                                    + ": "
                                    + readQuietly(out).strip());
                }
            } finally {
                Files.deleteIfExists(out);
            }
        }

        private static List<String> asSystemUser(List<String> command) {
            Optional<Path> runuser =
                    Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")
                            .map(Path::of)
                            .filter(Files::isExecutable)
                            .findFirst();
            List<String> wrapped = new ArrayList<>();
            if (runuser.isPresent()) {
                wrapped.addAll(List.of(runuser.get().toString(), "-u", SYSTEM_USER, "--"));
                wrapped.addAll(command);
            } else {
                StringBuilder line = new StringBuilder();
                for (String arg : command) {
                    line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
                }
                wrapped.addAll(List.of("su", SYSTEM_USER, "-s", "/bin/sh", "-c", line.toString()));
            }
            return wrapped;
        }

        private static Optional<Path> findBinaries() {
            List<Path> candidates = new ArrayList<>();
            String path = System.getenv("PATH");
            if (path != null) {
                for (String entry : path.split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        candidates.add(Path.of(entry));
                    }
                }
            }
            // Debian keeps the server programs out of PATH; the newest version first.
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (Stream<Path> versions = Files.list(debian)) {
                    versions.sorted(Comparator.comparing(Startup::versionOf).reversed())
                            .map(v -> v.resolve("bin"))
                            .forEach(candidates::add);
                } catch (IOException e) {
                    // nothing to find there
                }
            }
            return candidates.stream()
                    .filter(
                            d ->
                                    Files.isExecutable(d.resolve("initdb"))
                                            && Files.isExecutable(d.resolve("pg_ctl")))
                    .findFirst();
        }

        private static double versionOf(Path dir) {
            try {
                return Double.parseDouble(dir.getFileName().toString());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static boolean isRoot() {
            try {
                return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
            } catch (LinkageError notUnix) {
                return false;
            }
        }

        private static Optional<UserPrincipal> systemUser() {
            try {
                return Optional.of(
                        FileSystems.getDefault()
                                .getUserPrincipalLookupService()
                                .lookupPrincipalByName(SYSTEM_USER));
            } catch (IOException noSuchUser) {
                return Optional.empty();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }

        private static String readQuietly(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        private static void deleteTree(Path dir) {
            if (dir == null || !Files.exists(dir)) {
                return;
            }
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }
}

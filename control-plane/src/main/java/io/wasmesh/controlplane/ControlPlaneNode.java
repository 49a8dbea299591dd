package io.wasmesh.controlplane;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.auth.Role;
import io.wasmesh.controlplane.push.ProxyRegistry;
import io.wasmesh.controlplane.push.PushHub;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.store.ModuleStore;
import io.wasmesh.controlplane.store.TenantStore;
import io.wasmesh.controlplane.store.TokenStore;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.observability.Telemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * One control-plane node: an embedded Hazelcast member holding the state, and the HTTP API (REST
 * and the proxies' push stream) in front of it.
 */
public final class ControlPlaneNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlPlaneNode.class.getName());

    /**
     * @param name this node's name (proxies' status shows which node they are connected to)
     * @param clusterName members join only a cluster of the same name
     * @param memberHost the address the Hazelcast member binds and announces
     * @param memberPort the member's port (Hazelcast's default is 5701)
     * @param members the other members, {@code host:port}; empty for a single node
     * @param apiHost where the API listens
     * @param apiPort the API's port; 0 picks a free one
     * @param persistence where state survives a full restart
     * @param dataDir where the bootstrap operator token is written, or null
     * @param operatorToken a bootstrap operator token to accept, or null to make one when there is
     *     none
     * @param telemetry the OpenTelemetry to use (not closed by the node), or null to make one from
     *     the {@code OTEL_*} settings
     */
    public record Options(
            String name,
            String clusterName,
            String memberHost,
            int memberPort,
            List<String> members,
            String apiHost,
            int apiPort,
            Persistence persistence,
            Path dataDir,
            String operatorToken,
            ApiServer.Limits limits,
            Telemetry telemetry) {
        public Options {
            members = List.copyOf(Objects.requireNonNullElse(members, List.of()));
            persistence = Objects.requireNonNullElse(persistence, Persistence.none());
            limits = Objects.requireNonNullElse(limits, ApiServer.Limits.DEFAULT);
        }
    }

    private final Options options;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private HazelcastInstance hz;
    private PushHub hub;
    private HttpServer server;
    private TenantStore tenants;
    private io.vertx.ext.web.Router router;
    private String bootstrapToken;
    private ControlPlaneTelemetry telemetry;
    private boolean ownsTelemetry;

    public ControlPlaneNode(Options options) {
        this(options, Vertx.vertx(), true);
    }

    public ControlPlaneNode(Options options, Vertx vertx) {
        this(options, vertx, false);
    }

    private ControlPlaneNode(Options options, Vertx vertx, boolean ownsVertx) {
        this.options = options;
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
    }

    /** Joins (or forms) the cluster, loads the stores, opens the API. Blocking. */
    public ControlPlaneNode start() throws Exception {
        hz = Hazelcast.newHazelcastInstance(hazelcastConfig());
        Clock clock = Clock.systemUTC();
        tenants = new TenantStore(hz, clock);
        ModuleStore modules = new ModuleStore(hz);
        TokenStore tokens = new TokenStore(hz, clock);
        ProxyRegistry proxies = new ProxyRegistry(hz, clock);
        bootstrapOperator(tokens);
        ownsTelemetry = options.telemetry() == null;
        telemetry =
                new ControlPlaneTelemetry(
                        ownsTelemetry
                                ? Telemetry.fromEnvironment(
                                        "wasmesh-control-plane", "control-plane")
                                : options.telemetry());
        hub = new PushHub(hz, proxies, options.name(), telemetry);
        router =
                ApiServer.router(
                        vertx,
                        tenants,
                        modules,
                        tokens,
                        proxies,
                        hub,
                        options.limits(),
                        clock,
                        () -> hz.getLifecycleService().isRunning(),
                        telemetry);
        server =
                vertx.createHttpServer(
                                new HttpServerOptions()
                                        .setHost(options.apiHost())
                                        .setPort(options.apiPort())
                                        .setCompressionSupported(true))
                        .requestHandler(router)
                        .listen()
                        .await();
        LOG.log(
                System.Logger.Level.INFO,
                "control plane {0}: API on {1}:{2}, member {3}",
                options.name(),
                options.apiHost(),
                Integer.toString(server.actualPort()),
                hz.getCluster().getLocalMember().getAddress());
        return this;
    }

    private Config hazelcastConfig() {
        Config c = new Config();
        c.setClusterName(options.clusterName());
        c.setInstanceName("wasmesh-" + options.name() + "@" + options.clusterName());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.getNetworkConfig()
                .setPort(options.memberPort())
                .setPortAutoIncrement(false)
                .setPublicAddress(options.memberHost() + ":" + options.memberPort());
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(options.memberHost());
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(options.members());
        Persistence.apply(c, options.persistence());
        c.getMapConfig(MapNames.TOKENS).setNearCacheConfig(TokenStore.nearCache());
        return c;
    }

    /**
     * Makes sure someone can administer the cluster: an operator token given by the environment,
     * or, when none exists, a new one written to {@code dataDir/operator.token} (mode 0600).
     */
    private void bootstrapOperator(TokenStore tokens) throws IOException {
        if (options.operatorToken() != null) {
            tokens.adopt(options.operatorToken(), Role.OPERATOR, "bootstrap");
            bootstrapToken = options.operatorToken();
            return;
        }
        if (tokens.hasOperator()) {
            return;
        }
        bootstrapToken = tokens.issue(Role.OPERATOR, null, "bootstrap").secret();
        if (options.dataDir() != null) {
            Files.createDirectories(options.dataDir());
            Path file = options.dataDir().resolve("operator.token");
            Files.writeString(file, bootstrapToken + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions have to do
            }
            LOG.log(System.Logger.Level.INFO, "operator token written to {0}", file);
        }
    }

    /** The API's port. */
    public int apiPort() {
        return server.actualPort();
    }

    /** Where a client on this host reaches the API (loopback when it listens on every address). */
    public String apiUrl() {
        String host = options.apiHost();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return "http://" + (wildcard ? "127.0.0.1" : host) + ":" + apiPort();
    }

    /** The operator token this node made or was given at start, or null if one already existed. */
    public String bootstrapToken() {
        return bootstrapToken;
    }

    /** The API's routes (an embedder may mount more; the OpenAPI test walks them). */
    public io.vertx.ext.web.Router router() {
        return router;
    }

    public HazelcastInstance hazelcast() {
        return hz;
    }

    public PushHub pushHub() {
        return hub;
    }

    public String name() {
        return options.name();
    }

    /** Leaves the cluster gracefully (partitions migrate first). */
    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
        if (hub != null) {
            hub.close();
        }
        if (hz != null) {
            hz.shutdown();
        }
        if (ownsTelemetry && telemetry != null) {
            telemetry.telemetry().close();
        }
        if (ownsVertx) {
            vertx.close().await();
        }
    }

    /** Dies at once, as a crash would: no migration, no goodbye (tests of failover). */
    public void kill() {
        if (server != null) {
            server.close();
        }
        if (hub != null) {
            hub.close();
        }
        hz.getLifecycleService().terminate();
        if (ownsVertx) {
            vertx.close();
        }
    }
}

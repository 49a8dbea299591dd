package io.wasmesh.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.wasmesh.config.ConfigException;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.proxy.MeshProxy;
import io.wasmesh.proxy.listener.NetworkTransports;
import io.wasmesh.proxy.sync.ControlPlaneSync;
import io.wasmesh.proxy.sync.LocalRevisionStore;
import io.wasmesh.wasm.exec.WasmScheduler;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wasmesh proxy --config FILE}: runs a sidecar until stopped (SIGTERM/Ctrl-C drains it).
 * Exits 2 on an invalid config file and 1 when the config cannot be put in service.
 */
@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a mesh proxy (sidecar) from a YAML or JSON config.",
            "POST /reload on the admin port re-reads the file; a bad file keeps the old config serving."
        })
public final class ProxyCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The proxy's config (.yaml, .yml or .json).")
    Path config;

    @Option(
            names = "--event-loops",
            paramLabel = "N",
            description = "Event loops (servers per listener); default: the number of cores.")
    Integer eventLoops;

    @Option(
            names = "--wasm-idle-spin-us",
            paramLabel = "MICROS",
            description =
                    "How long an idle Wasm worker keeps looking for work before it parks"
                            + " (default: ${DEFAULT-VALUE}; 0 parks at once): trades CPU time for"
                            + " cheaper hand-offs between event loops and Wasm workers.")
    long wasmIdleSpinMicros = MeshProxy.Options.DEFAULT_IDLE_SPIN_NANOS / 1000;

    @Option(
            names = "--wasm-demote-after-us",
            paramLabel = "MICROS",
            description =
                    "A guest call that uses this much CPU is lowered to the lowest OS priority and its"
                            + " worker replaced, so short requests of every tenant go first"
                            + " (default: ${DEFAULT-VALUE}; 0: never).")
    long wasmDemoteAfterMicros = WasmScheduler.Config.DEFAULT_DEMOTE_AFTER_NANOS / 1000;

    @Option(
            names = "--transport",
            paramLabel = "NAME",
            description =
                    "Network transport: native (io_uring where Linux allows it, else epoll; NIO"
                            + " elsewhere), io_uring, epoll or nio (default: ${DEFAULT-VALUE}).")
    String transport = "native";

    @Option(
            names = "--code-cache",
            paramLabel = "DIR",
            description =
                    "Keep compiled Wasm in DIR across restarts (a private folder: the JVM loads"
                            + " code from it); cuts a 100 KB module's load in a fresh JVM from"
                            + " ~550 ms to ~200 ms.")
    Path codeCache;

    @Option(
            names = "--control-plane",
            split = ",",
            paramLabel = "URL",
            description =
                    "Control-plane API addresses (comma-separated, e.g. http://cp1:7070): tenants"
                            + " pushed from there run beside the file's; the first that answers is"
                            + " used, the others on failure.")
    List<URI> controlPlanes = new ArrayList<>();

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "A file holding this proxy's control-plane token (role proxy); or set"
                            + " WASMESH_PROXY_TOKEN.")
    Path tokenFile;

    @Option(
            names = "--node-id",
            description = "This proxy's id in the control plane's status (default: the host name).")
    String nodeId;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Where pushed revisions and their modules are kept, so a restart without a"
                            + " control plane serves them (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("wasmesh-data", "proxy");

    @Override
    public Integer call() throws Exception {
        MeshConfig mesh;
        try {
            mesh = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("wasmesh: invalid config:");
            System.err.println(e.getMessage());
            return 2;
        }
        MeshProxy.Options defaults = MeshProxy.Options.defaults();
        MeshProxy.Options options =
                new MeshProxy.Options(
                        config,
                        eventLoops != null ? eventLoops : defaults.eventLoops(),
                        defaults.drainTimeout(),
                        defaults.wasm()
                                .withIdleSpinNanos(wasmIdleSpinMicros * 1000)
                                .withDemoteAfterNanos(wasmDemoteAfterMicros * 1000),
                        defaults.serviceIdleTimeout(),
                        codeCache,
                        null,
                        null);
        LocalRevisionStore store = null;
        String token = null;
        if (!controlPlanes.isEmpty()) {
            token =
                    tokenFile != null
                            ? Files.readString(tokenFile).trim()
                            : System.getenv("WASMESH_PROXY_TOKEN");
            if (token == null || token.isEmpty()) {
                System.err.println(
                        "wasmesh: --control-plane needs a token: --token-file or"
                                + " WASMESH_PROXY_TOKEN");
                return 2;
            }
            store = new LocalRevisionStore(dataDir);
            options = options.withModuleStore(store.modulesDir());
        }
        Transport network = NetworkTransports.named(transport);
        if (network == null) {
            System.err.println(
                    "wasmesh: --transport "
                            + transport
                            + ": expected one of "
                            + NetworkTransports.NAMES);
            return 2;
        }
        if (!network.available()) {
            System.err.println(
                    "wasmesh: the "
                            + network.name()
                            + " transport is not available here: "
                            + network.unavailabilityCause());
            return 2;
        }
        Vertx vertx =
                Vertx.builder()
                        .with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
                        .withTransport(network)
                        .build();
        MeshProxy proxy;
        try {
            proxy =
                    MeshProxy.start(vertx, mesh, options)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get();
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("wasmesh: the config could not be put in service:");
            System.err.println(e.getCause().getMessage());
            vertx.close();
            return 1;
        }
        if (store != null) {
            String node = nodeId != null ? nodeId : InetAddress.getLocalHost().getHostName();
            ControlPlaneSync sync =
                    ControlPlaneSync.start(
                                    vertx,
                                    proxy,
                                    store,
                                    new ControlPlaneSync.Options(controlPlanes, token, node))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get();
            System.out.println(
                    "wasmesh: node "
                            + node
                            + ", serving "
                            + sync.applied().size()
                            + " stored tenant(s); control plane "
                            + controlPlanes);
        }
        for (var l : mesh.listeners()) {
            System.out.println(
                    "wasmesh: listener "
                            + l.name()
                            + " on "
                            + l.address()
                            + ":"
                            + proxy.port(l.name()));
        }
        System.out.println(
                "wasmesh: network transport "
                        + network.name()
                        + ", "
                        + options.eventLoops()
                        + " event loop(s)");
        System.out.println(
                "wasmesh: admin on "
                        + mesh.admin().address()
                        + ":"
                        + proxy.adminPort()
                        + " (/ready /config_dump /clusters /metrics, POST /reload)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("wasmesh: draining...");
                                    proxy.shutdown()
                                            .eventually(() -> vertx.close())
                                            .onComplete(v -> stopped.countDown());
                                    try {
                                        stopped.await(30, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                }));
        stopped.await();
        return 0;
    }
}

package io.wasmesh.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.wasmesh.config.ConfigException;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.proxy.MeshProxy;
import java.nio.file.Path;
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
            names = "--code-cache",
            paramLabel = "DIR",
            description =
                    "Keep compiled Wasm in DIR across restarts (a private folder: the JVM loads"
                            + " code from it); cuts a 100 KB module's load in a fresh JVM from"
                            + " ~550 ms to ~200 ms.")
    Path codeCache;

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
                        defaults.wasm().withIdleSpinNanos(wasmIdleSpinMicros * 1000),
                        defaults.serviceIdleTimeout(),
                        codeCache,
                        null);
        Vertx vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setEventLoopPoolSize(options.eventLoops())
                                .setPreferNativeTransport(true));
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
                        + (vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO")
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

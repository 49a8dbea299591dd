package io.wasmesh.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.proxy.MeshProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wasmesh demo}: the README's main command. Starts an echo upstream and a proxy with the
 * demo config (one tenant, three Wasm filters in C, a cluster with health checks, a redirect and a
 * direct response), sends a few requests through it and prints what happened, then keeps running
 * for you to try with curl until Ctrl-C.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Runs a small mesh (proxy, Wasm filters, an echo upstream) and shows it work.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Proxy port (default: ${DEFAULT-VALUE}; 0 = any).")
    int port = 8080;

    @Option(names = "--admin-port", description = "Admin port (default: ${DEFAULT-VALUE}).")
    int adminPort = 9901;

    @Option(names = "--exit", description = "Exit after the sample requests instead of serving.")
    boolean exit;

    private static final List<DemoTraffic.Sample> SAMPLES =
            List.of(
                    new DemoTraffic.Sample(
                            "public page: add-header and counter filters", "/", List.of()),
                    new DemoTraffic.Sample(
                            "API without a key: the api-key filter answers 401",
                            "/api/orders",
                            List.of()),
                    new DemoTraffic.Sample(
                            "API with the key: forwarded, the key stripped",
                            "/api/orders",
                            List.of("x-api-key", "demo-key")),
                    new DemoTraffic.Sample(
                            "a Wasm service (WAGI, C): a fresh instance per request",
                            "/hello/demo?name=wasmesh",
                            List.of()),
                    new DemoTraffic.Sample("a route's direct response", "/health", List.of()),
                    new DemoTraffic.Sample("a redirect route", "/docs/v1/intro", List.of()));

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = DemoTraffic.await(DemoTraffic.echoUpstream(vertx, 0));
        Path examples = extractExamples();
        String yaml =
                resource("demo.yaml")
                        .replace("${PROXY_PORT}", Integer.toString(port))
                        .replace("${ADMIN_PORT}", Integer.toString(adminPort))
                        .replace("${UPSTREAM_PORT}", Integer.toString(upstream.actualPort()))
                        .replace("${EXAMPLES}", examples.toString());
        Path configFile = examples.resolve("demo.yaml");
        Files.writeString(configFile, yaml);
        MeshConfig config = ConfigLoader.load(configFile);
        MeshProxy proxy;
        try {
            proxy =
                    DemoTraffic.await(
                            MeshProxy.start(
                                    vertx,
                                    config,
                                    MeshProxy.Options.defaults().withConfigFile(configFile)));
        } catch (Exception e) {
            System.err.println(
                    "wasmesh demo: could not start the proxy: " + DemoTraffic.rootMessage(e));
            System.err.println(
                    "(is port "
                            + port
                            + " or "
                            + adminPort
                            + " taken? try --port 0 --admin-port 0)");
            vertx.close();
            return 1;
        }
        int proxyPort = proxy.port("http");
        System.out.println(
                "wasmesh demo: proxy on http://localhost:"
                        + proxyPort
                        + ", admin on http://localhost:"
                        + proxy.adminPort()
                        + ", echo upstream on port "
                        + upstream.actualPort());
        System.out.println("config: " + configFile + "\n");
        DemoTraffic.show(vertx, proxyPort, SAMPLES);
        if (exit) {
            DemoTraffic.await(proxy.shutdown());
            vertx.close();
            return 0;
        }
        System.out.println("Serving. Try the curl commands above, and the admin endpoint:");
        System.out.println("  curl http://localhost:" + proxy.adminPort() + "/clusters");
        System.out.println("  curl http://localhost:" + proxy.adminPort() + "/metrics");
        System.out.println(
                "Edit "
                        + configFile
                        + " and: curl -X POST http://localhost:"
                        + proxy.adminPort()
                        + "/reload");
        System.out.println("Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    proxy.shutdown()
                                            .eventually(() -> vertx.close())
                                            .onComplete(v -> stopped.countDown());
                                    try {
                                        stopped.await(15, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                }));
        stopped.await();
        return 0;
    }

    /** The example filters ship in the filter SDK's jar; the proxy loads modules from files. */
    private static Path extractExamples() throws IOException {
        Path dir = Files.createTempDirectory("wasmesh-demo-");
        // Deleted at exit in reverse order of registration: files, then their directories.
        dir.toFile().deleteOnExit();
        dir.resolve("demo.yaml").toFile().deleteOnExit();
        Files.createDirectories(dir.resolve("c")).toFile().deleteOnExit();
        for (String name : List.of("api_key", "counter", "add_header")) {
            try (InputStream in =
                    DemoCommand.class.getResourceAsStream("/examples/c/" + name + ".wasm")) {
                if (in == null) {
                    throw new IllegalStateException("example " + name + " missing from the jar");
                }
                Path file = dir.resolve("c/" + name + ".wasm");
                Files.copy(in, file);
                file.toFile().deleteOnExit();
            }
        }
        Files.createDirectories(dir.resolve("services")).toFile().deleteOnExit();
        try (InputStream in = DemoCommand.class.getResourceAsStream("/services/hello/hello.wasm")) {
            if (in == null) {
                throw new IllegalStateException("service hello missing from the jar");
            }
            Path file = dir.resolve("services/hello.wasm");
            Files.copy(in, file);
            file.toFile().deleteOnExit();
        }
        return dir;
    }

    private static String resource(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.wasmesh.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.Format;
import io.wasmesh.controlplane.ControlPlaneNode;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.launcher.cli.DemoTenant;
import io.wasmesh.proxy.MeshProxy;
import io.wasmesh.proxy.sync.ControlPlaneSync;
import io.wasmesh.proxy.sync.LocalRevisionStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wasmesh up}: the whole mesh in one JVM, on embedded defaults. A single-node control plane
 * persisting to the data folder, one proxy connected to it, an echo upstream, and a demo tenant (a
 * Wasm filter and a Wasm service) applied through the REST API, as a tenant would. State survives a
 * restart; the CLI commands find the server and tokens in {@code <data>/context.json}.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a control plane, a proxy connected to it and a demo tenant, in one JVM.",
            "Then try the printed curl commands, and change the tenant with",
            "  bin/wasmesh apply -f wasmesh-data/demo-tenant.yaml"
        })
public final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Where state lives (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("wasmesh-data");

    @Option(names = "--port", description = "Proxy port (default: ${DEFAULT-VALUE}; 0 = any).")
    int port = 8080;

    @Option(names = "--admin-port", description = "Proxy admin port (default: ${DEFAULT-VALUE}).")
    int adminPort = 9901;

    @Option(
            names = "--api-port",
            description = "Control-plane API port (default: ${DEFAULT-VALUE}).")
    int apiPort = 7070;

    @Option(
            names = "--member-port",
            description = "Control-plane member port (default: ${DEFAULT-VALUE}).")
    int memberPort = 5701;

    @Option(
            names = "--upstream-port",
            description = "The demo's echo upstream (default: ${DEFAULT-VALUE}).")
    int upstreamPort = 8090;

    @Option(
            names = "--address",
            description =
                    "Where the proxy, its admin port and the control-plane API listen (default:"
                            + " ${DEFAULT-VALUE}; 0.0.0.0 lets Prometheus in Docker on Linux scrape"
                            + " them, and opens them to your network).")
    String address = "127.0.0.1";

    @Option(names = "--exit", description = "Exit after the sample requests instead of serving.")
    boolean exit;

    private static final List<DemoTraffic.Sample> SAMPLES =
            List.of(
                    new DemoTraffic.Sample(
                            "through the add-header Wasm filter to the echo upstream",
                            "/",
                            List.of()),
                    new DemoTraffic.Sample(
                            "a Wasm service (WAGI, C): a fresh instance per request",
                            "/hello/up?name=wasmesh",
                            List.of()));

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = DemoTraffic.await(DemoTraffic.echoUpstream(vertx, upstreamPort));
        int actualUpstream = upstream.actualPort();
        UpContext context = UpContext.loadOrCreate(dataDir, null);
        ControlPlaneNode node =
                new ControlPlaneNode(
                                new ControlPlaneNode.Options(
                                        "cp-1",
                                        "wasmesh-up",
                                        "127.0.0.1",
                                        memberPort,
                                        List.of("127.0.0.1:" + memberPort),
                                        address,
                                        apiPort,
                                        Persistence.files(dataDir.resolve("control-plane")),
                                        null,
                                        context.operatorToken(),
                                        ApiServer.Limits.DEFAULT,
                                        null),
                                vertx)
                        .start();
        context =
                new UpContext(
                        node.apiUrl(),
                        context.operatorToken(),
                        context.tenant(),
                        context.tenantToken(),
                        context.proxyToken());
        DemoTenant demo = new DemoTenant(node.apiUrl(), context.operatorToken(), context.tenant());
        DemoTenant.Tokens tokens =
                demo.ensure(dataDir, actualUpstream, context.tenantToken(), context.proxyToken());
        context = context.withTokens(tokens.tenant(), tokens.proxy());
        context.save(dataDir);

        LocalRevisionStore store = new LocalRevisionStore(dataDir.resolve("proxy"));
        String bootstrap =
                """
                listeners:
                  - {name: http, address: "%s", port: %d}
                admin: {address: "%s", port: %d}
                """
                        .formatted(address, port, address, adminPort);
        MeshProxy proxy =
                DemoTraffic.await(
                        MeshProxy.start(
                                vertx,
                                ConfigLoader.parse(bootstrap, "wasmesh up", Format.YAML),
                                MeshProxy.Options.defaults().withModuleStore(store.modulesDir())));
        CompletableFuture<Void> current = new CompletableFuture<>();
        long revision = demo.revision();
        ControlPlaneSync sync =
                DemoTraffic.await(
                        ControlPlaneSync.start(
                                vertx,
                                proxy,
                                store,
                                new ControlPlaneSync.Options(
                                        List.of(URI.create(node.apiUrl())),
                                        context.proxyToken(),
                                        "proxy-1")));
        sync.watch(
                o -> {
                    if (o.tenant().equals("demo") && o.revision() >= revision) {
                        current.complete(null);
                    }
                });
        if (sync.applied().getOrDefault("demo", 0L) >= revision) {
            current.complete(null);
        }
        current.get(60, TimeUnit.SECONDS);
        int proxyPort = proxy.port("http");
        System.out.println(
                "wasmesh up: control plane on "
                        + node.apiUrl()
                        + ", proxy on http://localhost:"
                        + proxyPort
                        + " (admin :"
                        + proxy.adminPort()
                        + "), echo upstream on :"
                        + actualUpstream
                        + ", tenant demo at revision "
                        + revision
                        + "\nstate: "
                        + dataDir.toAbsolutePath()
                        + "\n");
        DemoTraffic.show(vertx, proxyPort, SAMPLES);
        System.out.println("Change the tenant and watch the proxy pick it up:");
        System.out.println("  edit " + dataDir.resolve("demo-tenant.yaml"));
        System.out.println("  bin/wasmesh apply -f " + dataDir.resolve("demo-tenant.yaml"));
        System.out.println("  bin/wasmesh status");
        System.out.println("  bin/wasmesh revisions; bin/wasmesh rollback");
        System.out.println(
                "The CLI reads the server and tokens from "
                        + dataDir.resolve(UpContext.FILE)
                        + " (API: "
                        + node.apiUrl()
                        + "/v1/openapi.json).");
        if (exit) {
            stop(sync, proxy, node, vertx);
            return 0;
        }
        System.out.println("Serving. Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        stop(sync, proxy, node, vertx);
                                    } catch (Exception e) {
                                        System.err.println("wasmesh up: " + e);
                                    }
                                    stopped.countDown();
                                }));
        stopped.await();
        return 0;
    }

    private static void stop(
            ControlPlaneSync sync, MeshProxy proxy, ControlPlaneNode node, Vertx vertx)
            throws Exception {
        DemoTraffic.await(sync.close());
        DemoTraffic.await(proxy.shutdown());
        node.close();
        DemoTraffic.await(vertx.close());
    }
}

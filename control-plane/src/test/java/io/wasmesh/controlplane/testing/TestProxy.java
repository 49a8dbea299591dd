package io.wasmesh.controlplane.testing;

import io.vertx.core.Vertx;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.Format;
import io.wasmesh.proxy.MeshProxy;
import io.wasmesh.proxy.sync.ControlPlaneSync;
import io.wasmesh.proxy.sync.LocalRevisionStore;
import io.wasmesh.wasm.exec.WasmScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A real proxy fed by the control plane, for tests: no tenants of its own. */
public final class TestProxy implements AutoCloseable {
    // HTTP/1.1: the tenant is chosen by the Host header, which HTTP/2 would send as :authority.
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Vertx vertx;
    private final MeshProxy proxy;
    private final ControlPlaneSync sync;
    private final Map<String, CompletableFuture<ControlPlaneSync.Outcome>> waits =
            new ConcurrentHashMap<>();

    private TestProxy(Vertx vertx, MeshProxy proxy, ControlPlaneSync sync) {
        this.vertx = vertx;
        this.proxy = proxy;
        this.sync = sync;
        sync.watch(o -> waiter(o.tenant(), o.revision()).complete(o));
    }

    public static TestProxy start(
            String node, List<String> controlPlanes, String token, Path dataDir) throws Exception {
        return start(node, controlPlanes, token, dataDir, null);
    }

    /** With this OpenTelemetry (null: the proxy's own, from OTEL_* settings). */
    public static TestProxy start(
            String node,
            List<String> controlPlanes,
            String token,
            Path dataDir,
            io.wasmesh.observability.Telemetry telemetry)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        String bootstrap =
                """
                admin: {address: 127.0.0.1, port: 0}
                listeners:
                  - {name: http, address: 127.0.0.1, port: 0}
                """;
        LocalRevisionStore store = new LocalRevisionStore(dataDir);
        MeshProxy.Options options =
                new MeshProxy.Options(
                                null,
                                1,
                                Duration.ofSeconds(1),
                                WasmScheduler.Config.defaults().withWorkers(2),
                                Duration.ofMinutes(5),
                                null,
                                null,
                                null)
                        .withModuleStore(store.modulesDir())
                        .withTelemetry(telemetry);
        MeshProxy proxy =
                MeshProxy.start(
                                vertx,
                                ConfigLoader.parse(bootstrap, "bootstrap", Format.YAML),
                                options)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        ControlPlaneSync sync =
                ControlPlaneSync.start(
                                vertx,
                                proxy,
                                store,
                                new ControlPlaneSync.Options(
                                        controlPlanes.stream().map(URI::create).toList(),
                                        token,
                                        node))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
        return new TestProxy(vertx, proxy, sync);
    }

    private CompletableFuture<ControlPlaneSync.Outcome> waiter(String tenant, long revision) {
        return waits.computeIfAbsent(tenant + "@" + revision, k -> new CompletableFuture<>());
    }

    /** Waits until this proxy has applied or refused the tenant's revision. */
    public ControlPlaneSync.Outcome await(String tenant, long revision) throws Exception {
        return waiter(tenant, revision).get(30, TimeUnit.SECONDS);
    }

    public int adminPort() {
        return proxy.adminPort();
    }

    public ControlPlaneSync sync() {
        return sync;
    }

    /** GET through the proxy's listener, as a request for {@code host}. */
    public HttpResponse<String> get(String host, String path) {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port("http") + path))
                        .header("host", host)
                        .timeout(Duration.ofSeconds(10))
                        .build();
        try {
            return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close()
            throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        try {
            sync.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            proxy.shutdown().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

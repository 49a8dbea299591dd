package io.wasmesh.proxy.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.Format;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.proxy.MeshProxy;
import io.wasmesh.proxy.listener.NetworkTransports;
import io.wasmesh.wasm.exec.WasmScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A real proxy on ephemeral ports for tests, and a client to call it. */
public final class RunningProxy implements AutoCloseable {
    /** Absolute path of an example filter module, e.g. {@code c/add_header.wasm}. */
    public static String example(String name) {
        return Path.of("..", "filter-sdk", "examples", name)
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    public final Vertx vertx;
    public final MeshProxy proxy;
    private final HttpClient client;
    // Client calls run on this context: a Vert.x client driven from a plain thread can lose a
    // response body that arrives before body() is asked for (the callbacks run elsewhere).
    private final io.vertx.core.Context context;

    private RunningProxy(Vertx vertx, MeshProxy proxy) {
        this.vertx = vertx;
        this.proxy = proxy;
        this.context = vertx.getOrCreateContext();
        this.client =
                vertx.createHttpClient(
                        new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(16));
    }

    public static MeshConfig config(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "test.yaml", Format.YAML);
        } catch (io.wasmesh.config.ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Starts a proxy on {@code yaml}; its listener must be named {@code http}. */
    public static RunningProxy start(String yaml) {
        return start(yaml, options());
    }

    public static RunningProxy start(String yaml, MeshProxy.Options options) {
        return start(yaml, options, transport());
    }

    /**
     * The network transport the tests run on: NIO unless {@code -Dwasmesh.test.transport=NAME}
     * (epoll, io_uring) names another, so the suite can be run on what production uses.
     */
    public static Transport transport() {
        Transport t = NetworkTransports.named(System.getProperty("wasmesh.test.transport", "nio"));
        return t == null ? Transport.NIO : t;
    }

    /** Starts a proxy on {@code yaml} on the given network transport. */
    public static RunningProxy start(String yaml, MeshProxy.Options options, Transport transport) {
        if (!transport.available()) {
            throw new IllegalStateException(
                    transport.name() + " is not available: " + transport.unavailabilityCause());
        }
        Vertx vertx = Vertx.builder().withTransport(transport).build();
        try {
            MeshProxy proxy = await(MeshProxy.start(vertx, config(yaml), options));
            return new RunningProxy(vertx, proxy);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Starts a proxy expected to fail; returns the failure. */
    public static Throwable startFailure(String yaml) {
        Vertx vertx = Vertx.vertx();
        try {
            MeshProxy proxy = await(MeshProxy.start(vertx, config(yaml), options()));
            await(proxy.shutdown());
            throw new AssertionError("the proxy started");
        } catch (ProxyCallFailed e) {
            return e.getCause();
        } finally {
            vertx.close();
        }
    }

    /** What the tests run with: two Wasm workers, a short drain. */
    public static MeshProxy.Options options() {
        return new MeshProxy.Options(
                null,
                1,
                Duration.ofSeconds(2),
                WasmScheduler.Config.defaults().withWorkers(2),
                Duration.ofMinutes(5),
                null,
                null,
                null);
    }

    public Response get(String host, String path, String... headerNamesAndValues) {
        return send(HttpMethod.GET, host, path, null, headerNamesAndValues);
    }

    public CompletableFuture<Response> sendAsync(
            HttpMethod method, String host, String path, String body, String... headers) {
        return sendBytesAsync(
                method,
                host,
                path,
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                headers);
    }

    public CompletableFuture<Response> sendBytesAsync(
            HttpMethod method, String host, String path, byte[] body, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        h.set("host", host);
        return exchange(proxy.port("http"), method, path, h, body);
    }

    private CompletableFuture<Response> exchange(
            int port, HttpMethod method, String path, MultiMap headers, byte[] body) {
        RequestOptions o =
                new RequestOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setMethod(method)
                        .setURI(path)
                        .setHeaders(headers);
        return onContext(() -> client.request(o).compose(r -> send(r, body)))
                .toCompletionStage()
                .toCompletableFuture();
    }

    private static io.vertx.core.Future<Response> send(
            io.vertx.core.http.HttpClientRequest request, byte[] body) {
        return (body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(
                        r ->
                                r.body()
                                        .map(
                                                b ->
                                                        new Response(
                                                                r.statusCode(),
                                                                r.headers(),
                                                                b.toString(),
                                                                b.getBytes())));
    }

    /** Runs a client call on the test's Vert.x context. */
    public <T> io.vertx.core.Future<T> onContext(
            java.util.function.Supplier<io.vertx.core.Future<T>> call) {
        io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
        context.runOnContext(v -> call.get().onComplete(result));
        return result.future();
    }

    public Response send(
            HttpMethod method, String host, String path, String body, String... headers) {
        try {
            return sendAsync(method, host, path, body, headers).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** A request to the admin port. */
    public Response admin(HttpMethod method, String path) {
        try {
            return exchange(
                            proxy.adminPort(),
                            method,
                            path,
                            MultiMap.caseInsensitiveMultiMap(),
                            null)
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("admin request failed: " + e, e);
        }
    }

    /** An answer; {@code raw} is the body's bytes, {@code body} the same as UTF-8 text. */
    public record Response(int status, MultiMap headers, String body, byte[] raw) {}

    /** A request with a binary body, waited for. */
    public Response sendBytes(HttpMethod method, String host, String path, byte[] body) {
        try {
            return sendBytesAsync(method, host, path, body).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** A failed future's cause, wrapped so tests can tell it from assertion errors. */
    public static final class ProxyCallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProxyCallFailed(Throwable cause) {
            super(cause);
        }
    }

    public static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ProxyCallFailed(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            await(proxy.shutdown());
        } finally {
            client.close();
            vertx.close()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join();
        }
    }
}

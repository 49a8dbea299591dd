package io.wasmesh.launcher;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
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
import java.util.Map;
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

    private record Sample(String title, String path, List<String> headers) {}

    private static final List<Sample> SAMPLES =
            List.of(
                    new Sample("public page: add-header and counter filters", "/", List.of()),
                    new Sample(
                            "API without a key: the api-key filter answers 401",
                            "/api/orders",
                            List.of()),
                    new Sample(
                            "API with the key: forwarded, the key stripped",
                            "/api/orders",
                            List.of("x-api-key", "demo-key")),
                    new Sample(
                            "a Wasm service (WAGI, C): a fresh instance per request",
                            "/hello/demo?name=wasmesh",
                            List.of()),
                    new Sample("a route's direct response", "/health", List.of()),
                    new Sample("a redirect route", "/docs/v1/intro", List.of()));

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = await(echoUpstream(vertx));
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
                    await(
                            MeshProxy.start(
                                    vertx,
                                    config,
                                    MeshProxy.Options.defaults().withConfigFile(configFile)));
        } catch (Exception e) {
            System.err.println("wasmesh demo: could not start the proxy: " + rootMessage(e));
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
        HttpClient client = vertx.createHttpClient();
        for (Sample s : SAMPLES) {
            System.out.println("== " + s.title());
            StringBuilder curl = new StringBuilder("$ curl -i");
            for (int i = 0; i < s.headers().size(); i += 2) {
                curl.append(" -H '")
                        .append(s.headers().get(i))
                        .append(": ")
                        .append(s.headers().get(i + 1))
                        .append('\'');
            }
            System.out.println(curl + " http://localhost:" + proxyPort + s.path());
            // On a Vert.x context: driven from this plain thread the client could lose a body.
            io.vertx.core.Promise<String> answer = io.vertx.core.Promise.promise();
            vertx.getOrCreateContext()
                    .runOnContext(v -> fetch(client, proxyPort, s).onComplete(answer));
            System.out.println(indent(await(answer.future())));
        }
        if (exit) {
            await(proxy.shutdown());
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

    /** Answers every request with a JSON echo of what it received (what the filters did). */
    private static Future<HttpServer> echoUpstream(Vertx vertx) {
        return vertx.createHttpServer()
                .requestHandler(
                        req -> {
                            if (req.path().equals("/health")) {
                                req.response().end("ok");
                                return;
                            }
                            JsonObject headers = new JsonObject();
                            req.headers()
                                    .forEach(
                                            e ->
                                                    headers.put(
                                                            e.getKey().toLowerCase(),
                                                            e.getValue()));
                            req.body()
                                    .onSuccess(
                                            body ->
                                                    req.response()
                                                            .putHeader(
                                                                    "content-type",
                                                                    "application/json")
                                                            .end(
                                                                    new JsonObject()
                                                                            .put("upstream", "echo")
                                                                            .put(
                                                                                    "method",
                                                                                    req.method()
                                                                                            .name())
                                                                            .put("path", req.uri())
                                                                            .put("headers", headers)
                                                                            .encodePrettily()));
                        })
                .listen(0, "127.0.0.1");
    }

    private static Future<String> fetch(HttpClient client, int port, Sample s) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("host", "localhost:" + port);
        for (int i = 0; i < s.headers().size(); i += 2) {
            headers.add(s.headers().get(i), s.headers().get(i + 1));
        }
        RequestOptions o =
                new RequestOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setMethod(HttpMethod.GET)
                        .setURI(s.path())
                        .setHeaders(headers);
        return client.request(o)
                .compose(r -> r.send())
                .compose(
                        r ->
                                r.body()
                                        .map(
                                                b -> {
                                                    StringBuilder out =
                                                            new StringBuilder(
                                                                    "HTTP "
                                                                            + r.statusCode()
                                                                            + "\n");
                                                    for (Map.Entry<String, String> h :
                                                            r.headers()) {
                                                        if (h.getKey().startsWith("x-")
                                                                || h.getKey()
                                                                        .equalsIgnoreCase(
                                                                                "location")) {
                                                            out.append(h.getKey())
                                                                    .append(": ")
                                                                    .append(h.getValue())
                                                                    .append('\n');
                                                        }
                                                    }
                                                    return out.append(b.toString()).toString();
                                                }));
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

    private static String indent(String text) {
        return ("  " + text.strip().replace("\n", "\n  ")) + "\n";
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}

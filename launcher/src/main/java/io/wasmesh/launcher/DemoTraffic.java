package io.wasmesh.launcher;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the demos share: an echo upstream, and sample requests shown with their curl lines. */
final class DemoTraffic {
    private DemoTraffic() {}

    /** A request to show: what it demonstrates, its path, and header name/value pairs. */
    record Sample(String title, String path, List<String> headers) {}

    /** Sends each sample through the proxy on {@code port} and prints it with its answer. */
    static void show(Vertx vertx, int port, List<Sample> samples) throws Exception {
        HttpClient client = vertx.createHttpClient();
        for (Sample s : samples) {
            System.out.println("== " + s.title());
            StringBuilder curl = new StringBuilder("$ curl -i");
            for (int i = 0; i < s.headers().size(); i += 2) {
                curl.append(" -H '")
                        .append(s.headers().get(i))
                        .append(": ")
                        .append(s.headers().get(i + 1))
                        .append('\'');
            }
            System.out.println(curl + " http://localhost:" + port + s.path());
            // On a Vert.x context: driven from this plain thread the client could lose a body.
            io.vertx.core.Promise<String> answer = io.vertx.core.Promise.promise();
            vertx.getOrCreateContext().runOnContext(v -> fetch(client, port, s).onComplete(answer));
            System.out.println(indent(await(answer.future())));
        }
        client.close();
    }

    /** Answers every request with a JSON echo of what it received (what the filters did). */
    static Future<HttpServer> echoUpstream(Vertx vertx, int port) {
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
                .listen(port, "127.0.0.1");
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

    private static String indent(String text) {
        return ("  " + text.strip().replace("\n", "\n  ")) + "\n";
    }

    static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}

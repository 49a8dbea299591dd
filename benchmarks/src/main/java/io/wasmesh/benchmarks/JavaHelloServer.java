package io.wasmesh.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The baseline the {@code hello} Wasm service is measured against: a plain Vert.x handler that
 * answers the same text (parsing {@code name} from the query like the C service does).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.wasmesh.benchmarks.JavaHelloServer PORT</pre>
 */
public final class JavaHelloServer {
    private JavaHelloServer() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
        vertx.createHttpServer()
                .requestHandler(
                        req -> {
                            String name = req.getParam("name", "world");
                            String host = req.authority() == null ? "" : req.authority().host();
                            req.response()
                                    .putHeader("content-type", "text/plain")
                                    .putHeader("x-served-by", "java")
                                    .end(
                                            "Hello, "
                                                    + name
                                                    + "!\nmethod="
                                                    + req.method()
                                                    + " path="
                                                    + req.path()
                                                    + " host="
                                                    + host
                                                    + "\n");
                        })
                .listen(port, "127.0.0.1")
                .onSuccess(s -> System.out.println("java hello on " + s.actualPort()))
                .onFailure(
                        e -> {
                            e.printStackTrace();
                            System.exit(1);
                        });
    }
}

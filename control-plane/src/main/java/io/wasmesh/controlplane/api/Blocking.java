package io.wasmesh.controlplane.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Runs a handler's store work (Hazelcast calls, module compilation, config validation) on a worker
 * thread, then answers on the event loop. Event loops never wait for the cluster.
 */
final class Blocking {
    private Blocking() {}

    /** A route handler whose work blocks; the result goes to {@code answer} on the event loop. */
    static <T> Handler<RoutingContext> handler(
            java.util.function.Function<RoutingContext, Callable<T>> work,
            BiConsumer<RoutingContext, T> answer) {
        return ctx -> {
            Callable<T> task;
            try {
                task = work.apply(ctx); // checks access and reads the request on the event loop
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            ctx.vertx()
                    .executeBlocking(task, false)
                    .onComplete(
                            ar -> {
                                if (ar.failed()) {
                                    ctx.fail(ar.cause());
                                    return;
                                }
                                try {
                                    answer.accept(ctx, ar.result());
                                } catch (RuntimeException e) {
                                    ctx.fail(e);
                                }
                            });
        };
    }
}

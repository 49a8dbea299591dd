package io.wasmesh.proxy.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.config.HealthCheck;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Active health checks: every {@code interval}, a GET of {@code path} on each endpoint; {@code
 * unhealthyThreshold} failures in a row take it out of rotation, {@code healthyThreshold} successes
 * in a row bring it back. Endpoints start healthy; the first round runs at once.
 */
final class HealthChecker implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClient client;
    private final HealthCheck config;
    private final List<UpstreamHost> hosts;
    private final Map<UpstreamHost, int[]> streaks = new HashMap<>(); // [successes, failures]
    private long timer = -1;
    private volatile boolean closed;

    HealthChecker(Vertx vertx, HttpClient client, HealthCheck config, List<UpstreamHost> hosts) {
        this.vertx = vertx;
        this.client = client;
        this.config = config;
        this.hosts = hosts;
        for (UpstreamHost h : hosts) {
            streaks.put(h, new int[2]);
        }
    }

    void start() {
        // One context (a timer's) runs every round and every result: the streaks need no lock.
        vertx.runOnContext(
                v -> {
                    checkAll();
                    timer = vertx.setPeriodic(config.interval().toMillis(), id -> checkAll());
                });
    }

    private void checkAll() {
        if (closed) {
            return;
        }
        for (UpstreamHost h : hosts) {
            check(h);
        }
    }

    private void check(UpstreamHost host) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(host.host())
                        .setPort(host.port())
                        .setURI(config.path())
                        .setTimeout(config.timeout().toMillis())
                        .putHeader("user-agent", "wasmesh-health-check");
        client.request(options)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> passes(resp)))
                .onComplete(r -> record(host, r.succeeded() && r.result()));
    }

    private boolean passes(HttpClientResponse resp) {
        return config.expectedStatuses().contains(resp.statusCode());
    }

    private void record(UpstreamHost host, boolean success) {
        int[] streak = streaks.get(host);
        if (success) {
            streak[0]++;
            streak[1] = 0;
            if (!host.healthy && streak[0] >= config.healthyThreshold()) {
                host.healthy = true;
            }
        } else {
            streak[1]++;
            streak[0] = 0;
            if (host.healthy && streak[1] >= config.unhealthyThreshold()) {
                host.healthy = false;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}

package io.wasmesh.proxy.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.config.ConfigException;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.TenantConfig;
import io.wasmesh.proxy.MeshProxy;
import io.wasmesh.proxy.sync.LocalRevisionStore.StoredTenant;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps a proxy's pushed tenants in step with the control plane. Frames are handled one at a time,
 * in order: for a revision, the missing modules are fetched from the node the stream is open to and
 * checked against their digest, the tenant is built and swapped in (the others untouched), saved to
 * the disk store, and acknowledged; anything failing on the way is a NACK with the reason while the
 * previous revision keeps serving.
 */
public final class ControlPlaneSync {
    private static final System.Logger LOG = System.getLogger(ControlPlaneSync.class.getName());
    private static final JsonMapper JSON = new JsonMapper();

    /**
     * @param addresses the control-plane nodes' API base URLs, tried in turn
     * @param token a token of role {@code proxy}
     * @param node this proxy's id, unique in the mesh
     */
    public record Options(List<URI> addresses, String token, String node) {
        public Options {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("at least one control-plane address is needed");
            }
            addresses = List.copyOf(addresses);
        }
    }

    /** An applied or refused revision, for whoever watches (tests, the benchmark). */
    public record Outcome(String tenant, long revision, String error) {
        public boolean applied() {
            return error == null;
        }
    }

    private final Vertx vertx;
    private final MeshProxy proxy;
    private final LocalRevisionStore store;
    private final Options options;
    private final HttpClient http;
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    private final List<Consumer<Outcome>> watchers =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ControlPlaneConnection connection;
    private Future<Void> queue = Future.succeededFuture();

    private ControlPlaneSync(
            Vertx vertx, MeshProxy proxy, LocalRevisionStore store, Options options) {
        this.vertx = vertx;
        this.proxy = proxy;
        this.store = store;
        this.options = options;
        this.http = vertx.createHttpClient();
        this.connection =
                new ControlPlaneConnection(
                        vertx, options.addresses(), options.token(), this::hello, this::onFrame);
    }

    /**
     * Puts the stored tenants in service (a stored revision that no longer builds is skipped and
     * logged), then opens the stream. Completes once the stored tenants are serving, whether or not
     * a control plane answers.
     */
    public static Future<ControlPlaneSync> start(
            Vertx vertx, MeshProxy proxy, LocalRevisionStore store, Options options) {
        ControlPlaneSync sync = new ControlPlaneSync(vertx, proxy, store, options);
        proxy.telemetry().watchRevisions(sync::applied);
        return vertx.executeBlocking(store::loadTenants)
                .compose(sync::restore)
                .map(
                        v -> {
                            sync.connection.start();
                            return sync;
                        });
    }

    private Future<Void> restore(Map<String, StoredTenant> stored) {
        Future<Void> chain = Future.succeededFuture();
        for (StoredTenant t : stored.values()) {
            chain =
                    chain.compose(
                            v ->
                                    parse(t.tenantJson(), t.name(), t.revision())
                                            .compose(proxy::applyTenant)
                                            .onSuccess(r -> applied.put(t.name(), t.revision()))
                                            .recover(
                                                    e -> {
                                                        LOG.log(
                                                                System.Logger.Level.WARNING,
                                                                "stored revision {0} of {1} does"
                                                                        + " not build: {2}",
                                                                t.revision(),
                                                                t.name(),
                                                                e.getMessage());
                                                        return Future.succeededFuture();
                                                    })
                                            .mapEmpty());
        }
        return chain;
    }

    public void watch(Consumer<Outcome> watcher) {
        watchers.add(watcher);
    }

    /** What this proxy runs: tenant → revision. */
    public Map<String, Long> applied() {
        return Map.copyOf(applied);
    }

    /** The node the stream is open to, or null. */
    public URI connectedTo() {
        return connection.connectedTo();
    }

    public Future<Void> close() {
        return connection.close().transform(ar -> http.close());
    }

    private String hello() {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", "hello");
        msg.put("node", options.node());
        ObjectNode runs = msg.putObject("applied");
        applied.forEach(runs::put);
        return msg.toString();
    }

    /** Queues the frame behind the ones before it; each is handled once its predecessor is. */
    private void onFrame(String text) {
        URI from = connection.connectedTo();
        queue = queue.transform(ar -> handle(text, from));
    }

    private Future<Void> handle(String text, URI from) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "malformed frame from the control plane");
            return Future.succeededFuture();
        }
        String tenant = msg.path("tenant").asText();
        switch (msg.path("type").asText()) {
            case "revision":
                return revision(msg, tenant, from);
            case "removed":
                return proxy.removeTenant(tenant)
                        .compose(
                                r ->
                                        vertx.<Void>executeBlocking(
                                                () -> {
                                                    store.removeTenant(tenant);
                                                    return null;
                                                }))
                        .onSuccess(v -> applied.remove(tenant))
                        .recover(
                                e -> {
                                    LOG.log(
                                            System.Logger.Level.WARNING,
                                            "cannot remove tenant " + tenant + ": " + e);
                                    return Future.succeededFuture();
                                });
            default:
                return Future.succeededFuture();
        }
    }

    private Future<Void> revision(JsonNode msg, String tenant, URI from) {
        long revision = msg.path("revision").asLong();
        if (applied.getOrDefault(tenant, 0L) >= revision) {
            return Future.succeededFuture(); // a late duplicate: acknowledged already
        }
        String tenantJson = msg.path("tenantConfig").toString();
        io.opentelemetry.api.trace.Span span =
                proxy.telemetry()
                        .applySpan(
                                tenant,
                                revision,
                                msg.path("traceparent").asText(null),
                                options.node());
        List<String> modules = new ArrayList<>();
        msg.path("modules").forEach(m -> modules.add(m.path("sha256").asText()));
        return fetchMissing(tenant, modules, from)
                .compose(v -> parse(tenantJson, tenant, revision))
                .compose(proxy::applyTenant)
                .compose(
                        r ->
                                vertx.<Void>executeBlocking(
                                        () -> {
                                            store.saveTenant(tenant, revision, tenantJson);
                                            return null;
                                        }))
                .transform(
                        ar -> {
                            String error = ar.failed() ? describe(ar.cause()) : null;
                            if (error == null) {
                                applied.put(tenant, revision);
                            } else {
                                LOG.log(
                                        System.Logger.Level.WARNING,
                                        "revision {0} of {1} refused: {2}",
                                        revision,
                                        tenant,
                                        error);
                            }
                            proxy.telemetry().configUpdate(tenant, error == null);
                            if (span != null) {
                                if (error != null) {
                                    span.setStatus(
                                            io.opentelemetry.api.trace.StatusCode.ERROR, error);
                                }
                                span.end();
                            }
                            connection.send(answer(tenant, revision, error));
                            Outcome o = new Outcome(tenant, revision, error);
                            watchers.forEach(w -> w.accept(o));
                            return Future.succeededFuture();
                        });
    }

    private Future<Void> fetchMissing(String tenant, List<String> modules, URI from) {
        Future<Void> chain = Future.succeededFuture();
        for (String sha : modules) {
            chain =
                    chain.compose(
                            v ->
                                    vertx.executeBlocking(() -> store.hasModule(sha))
                                            .compose(
                                                    have ->
                                                            have
                                                                    ? Future.succeededFuture()
                                                                    : fetch(tenant, sha, from)));
        }
        return chain;
    }

    private Future<Void> fetch(String tenant, String sha, URI from) {
        if (from == null) {
            return Future.failedFuture(
                    "module " + sha + " is missing and no control plane answers");
        }
        URI url = from.resolve("/v1/proxy/tenants/" + tenant + "/modules/" + sha);
        RequestOptions req =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setAbsoluteURI(url.toString())
                        .putHeader("authorization", "Bearer " + options.token());
        return http.request(req)
                .compose(r -> r.send())
                .compose(
                        (HttpClientResponse r) ->
                                r.body()
                                        .compose(
                                                body ->
                                                        r.statusCode() == 200
                                                                ? Future.succeededFuture(body)
                                                                : Future.failedFuture(
                                                                        "fetching module "
                                                                                + sha
                                                                                + ": HTTP "
                                                                                + r.statusCode())))
                .compose(
                        (Buffer body) ->
                                vertx.executeBlocking(
                                        () -> {
                                            store.saveModule(sha, body.getBytes());
                                            return null;
                                        }));
    }

    private Future<TenantConfig> parse(String json, String tenant, long revision) {
        return vertx.executeBlocking(
                () -> {
                    try {
                        return ConfigLoader.parseTenant(
                                json, "revision " + revision + " of tenant " + tenant);
                    } catch (ConfigException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                });
    }

    private static String answer(String tenant, long revision, String error) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", error == null ? "ack" : "nack");
        msg.put("tenant", tenant);
        msg.put("revision", revision);
        if (error != null) {
            msg.put("error", error);
        }
        return msg.toString();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }
}

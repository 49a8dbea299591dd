package io.wasmesh.controlplane.push;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.http.ServerWebSocket;
import io.wasmesh.controlplane.ControlPlaneTelemetry;
import io.wasmesh.controlplane.store.MapNames;
import io.wasmesh.controlplane.store.StoredDocument;
import io.wasmesh.controlplane.store.StoredJson;
import io.wasmesh.controlplane.store.TenantRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's side of the push stream. Every node listens to every change of {@link
 * MapNames#TENANTS} (whichever node committed it) and sends the new revision to the proxies
 * connected here. One push thread does all sending, so a proxy gets a tenant's revisions in order
 * and a hello sync cannot interleave with a live update; Hazelcast's event threads only hand over.
 */
public final class PushHub
        implements EntryAddedListener<String, byte[]>,
                EntryUpdatedListener<String, byte[]>,
                EntryRemovedListener<String, byte[]>,
                AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PushHub.class.getName());

    /** A proxy's acknowledgement, for whoever watches propagation (tests, the benchmark). */
    public record Ack(String node, String tenant, long revision) {}

    private final IMap<String, byte[]> tenants;
    private final IMap<String, byte[]> documents;
    private final ProxyRegistry registry;
    private final String member;
    private final ExecutorService pushThread;
    private final Set<ProxySession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Frame> lastFrame = new HashMap<>(); // push thread only
    private final List<Consumer<Ack>> ackWatchers = new CopyOnWriteArrayList<>();
    private final UUID listener;

    private record Frame(long revision, String text) {}

    private final ControlPlaneTelemetry telemetry;

    public PushHub(
            HazelcastInstance hz,
            ProxyRegistry registry,
            String member,
            ControlPlaneTelemetry telemetry) {
        this.telemetry = telemetry;
        this.tenants = hz.getMap(MapNames.TENANTS);
        this.documents = hz.getMap(MapNames.DOCUMENTS);
        this.registry = registry;
        this.member = member;
        this.pushThread =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "wasmesh-push-" + member);
                            t.setDaemon(true);
                            return t;
                        });
        this.listener = tenants.addEntryListener(this, true);
        telemetry.watchProxies(this::connectedProxies);
    }

    /** Takes a new proxy stream; the proxy's hello starts the sync. */
    public void accept(ServerWebSocket ws) {
        ProxySession s = new ProxySession(ws, this, registry, member);
        sessions.add(s);
        s.start();
    }

    public int connectedProxies() {
        return (int) sessions.stream().filter(ProxySession::ready).count();
    }

    public void watchAcks(Consumer<Ack> watcher) {
        ackWatchers.add(watcher);
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
        changed(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
        changed(event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
        String tenant = event.getKey();
        pushThread.execute(
                () -> {
                    lastFrame.remove(tenant);
                    for (ProxySession s : sessions) {
                        if (s.ready()) {
                            s.remove(tenant);
                        }
                    }
                });
    }

    private void changed(byte[] value) {
        TenantRecord t = StoredJson.read(value, TenantRecord.class);
        pushThread.execute(
                () -> {
                    Span push =
                            t.active() == null
                                    ? null
                                    : telemetry.startPush(
                                            t.name(), t.activeNumber(), t.active().traceparent());
                    try {
                        String frame = frame(t, push);
                        if (frame == null) {
                            return;
                        }
                        for (ProxySession s : sessions) {
                            if (s.ready()) {
                                s.offer(t.name(), t.activeNumber(), frame);
                            }
                        }
                    } finally {
                        if (push != null) {
                            push.end();
                        }
                    }
                });
    }

    /** The proxy said what it runs: send what differs, remove what is gone. */
    void join(ProxySession s, Map<String, Long> applied) {
        pushThread.execute(
                () -> {
                    s.seed(applied);
                    Set<String> existing = new java.util.HashSet<>();
                    for (byte[] v : tenants.values()) {
                        TenantRecord t = StoredJson.read(v, TenantRecord.class);
                        existing.add(t.name());
                        if (applied.getOrDefault(t.name(), 0L) != t.activeNumber()) {
                            String frame = frame(t, null);
                            if (frame != null) {
                                // A proxy ahead of us (a restored store) is brought back in line.
                                s.seed(Map.of(t.name(), 0L));
                                s.offer(t.name(), t.activeNumber(), frame);
                            }
                        }
                    }
                    List<String> gone = new ArrayList<>();
                    for (Iterator<String> it = s.tenantsSent(); it.hasNext(); ) {
                        String name = it.next();
                        if (!existing.contains(name)) {
                            gone.add(name);
                        }
                    }
                    gone.forEach(s::remove);
                });
    }

    void closed(ProxySession s) {
        sessions.remove(s);
    }

    void pushed() {
        telemetry.pushed();
    }

    void answered(boolean ack) {
        telemetry.answered(ack);
    }

    void acknowledged(String node, String tenant, long revision) {
        Ack ack = new Ack(node, tenant, revision);
        for (Consumer<Ack> w : ackWatchers) {
            w.accept(ack);
        }
    }

    /** The frame of the tenant's active revision, composed once per revision on this node. */
    private String frame(TenantRecord t, Span push) {
        Frame cached = lastFrame.get(t.name());
        if (cached != null && cached.revision() >= t.activeNumber()) {
            return cached.revision() == t.activeNumber() ? cached.text() : null;
        }
        try {
            StoredDocument doc =
                    StoredJson.read(documents.get(t.active().document()), StoredDocument.class);
            String traceparent =
                    push != null ? telemetry.traceparent(push) : t.active().traceparent();
            String text = RevisionMessages.revision(t, doc, traceparent);
            lastFrame.put(t.name(), new Frame(t.activeNumber(), text));
            return text;
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "cannot compose revision " + t.activeNumber() + " of " + t.name(),
                    e);
            return null;
        }
    }

    @Override
    public void close() {
        tenants.removeEntryListener(listener);
        pushThread.shutdown();
        try {
            pushThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

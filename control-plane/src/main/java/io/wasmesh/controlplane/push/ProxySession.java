package io.wasmesh.controlplane.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.ServerWebSocket;
import io.wasmesh.controlplane.push.ProxyUpdates.TenantEvent.Kind;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One proxy's stream. What was sent is tracked per tenant so a revision is sent once, in order,
 * whichever of the hello sync and a live update comes first. {@link #offer} and {@link #remove} run
 * on the hub's single push thread; frames from the proxy arrive on the event loop.
 */
final class ProxySession {
    private static final System.Logger LOG = System.getLogger(ProxySession.class.getName());
    private final ServerWebSocket ws;
    private final PushHub hub;
    private final ProxyRegistry registry;
    private final String member;
    private final String session = UUID.randomUUID().toString();
    private final Map<String, Long> sent = new HashMap<>();
    private volatile String node;

    ProxySession(ServerWebSocket ws, PushHub hub, ProxyRegistry registry, String member) {
        this.ws = ws;
        this.hub = hub;
        this.registry = registry;
        this.member = member;
    }

    void start() {
        ws.textMessageHandler(this::onFrame);
        ws.closeHandler(
                v -> {
                    hub.closed(this);
                    if (node != null) {
                        registry.disconnected(node, session);
                    }
                });
    }

    boolean ready() {
        return node != null;
    }

    /** Sends the tenant's revision unless this proxy already has it or something newer. */
    void offer(String tenant, long revision, String frame) {
        if (sent.getOrDefault(tenant, 0L) >= revision) {
            return;
        }
        sent.put(tenant, revision);
        ws.writeTextMessage(frame);
        hub.pushed();
        registry.event(node, session, tenant, revision, Kind.SENT, null);
    }

    void remove(String tenant) {
        if (sent.remove(tenant) != null) {
            ws.writeTextMessage(RevisionMessages.removed(tenant));
            registry.event(node, session, tenant, 0, Kind.REMOVED, null);
        }
    }

    Iterator<String> tenantsSent() {
        return sent.keySet().iterator();
    }

    private void onFrame(String text) {
        JsonNode msg;
        try {
            msg = RevisionMessages.MAPPER.readTree(text);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "proxy " + node + " sent a malformed frame");
            ws.close((short) 1003, "malformed frame");
            return;
        }
        String type = msg.path("type").asText();
        if (node == null && !type.equals("hello")) {
            ws.close((short) 1002, "the first frame must be hello");
            return;
        }
        switch (type) {
            case "hello":
                hello(msg);
                break;
            case "ack":
                registry.event(
                        node,
                        session,
                        msg.path("tenant").asText(),
                        msg.path("revision").asLong(),
                        Kind.ACK,
                        null);
                hub.answered(true);
                hub.acknowledged(node, msg.path("tenant").asText(), msg.path("revision").asLong());
                break;
            case "nack":
                registry.event(
                        node,
                        session,
                        msg.path("tenant").asText(),
                        msg.path("revision").asLong(),
                        Kind.NACK,
                        msg.path("error").asText());
                hub.answered(false);
                break;
            default:
                ws.close((short) 1003, "unknown frame type '" + type + "'");
        }
    }

    private void hello(JsonNode msg) {
        if (node != null) {
            ws.close((short) 1002, "hello twice");
            return;
        }
        String id = msg.path("node").asText("");
        if (id.isEmpty()) {
            ws.close((short) 1002, "hello without a node id");
            return;
        }
        Map<String, Long> applied = new LinkedHashMap<>();
        msg.path("applied")
                .properties()
                .forEach(e -> applied.put(e.getKey(), e.getValue().asLong()));
        node = id;
        registry.connected(id, member, session, applied);
        hub.join(this, applied);
    }

    /** Seeds what the proxy already runs, so it is not sent again. Push thread only. */
    void seed(Map<String, Long> applied) {
        sent.putAll(applied);
    }

    String node() {
        return node;
    }
}

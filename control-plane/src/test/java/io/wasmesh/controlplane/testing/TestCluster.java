package io.wasmesh.controlplane.testing;

import io.wasmesh.controlplane.ControlPlaneNode;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Control-plane nodes in this JVM: real Hazelcast members joined by an explicit member list on
 * loopback, each with its API on a free port. A unique cluster name keeps concurrent test runs
 * apart.
 */
public final class TestCluster implements AutoCloseable {
    public static final String OPERATOR_TOKEN = "wm_test-operator-token";
    private final String clusterName = "wasmesh-test-" + UUID.randomUUID();
    private final List<Integer> memberPorts = new ArrayList<>();
    private final List<ControlPlaneNode> nodes = new ArrayList<>();
    private final Persistence persistence;
    private final ApiServer.Limits limits;
    private final io.wasmesh.observability.Telemetry telemetry;

    public TestCluster(
            int size,
            Persistence persistence,
            ApiServer.Limits limits,
            io.wasmesh.observability.Telemetry telemetry) {
        this.persistence = persistence;
        this.limits = limits;
        this.telemetry = telemetry;
        for (int i = 0; i < size; i++) {
            memberPorts.add(freePort());
        }
    }

    public static TestCluster start(int size) throws Exception {
        return start(size, Persistence.none(), ApiServer.Limits.DEFAULT);
    }

    public static TestCluster start(int size, Persistence persistence, ApiServer.Limits limits)
            throws Exception {
        return start(size, persistence, limits, null);
    }

    /** With the OpenTelemetry every node shares (null: each its own, from OTEL_* settings). */
    public static TestCluster start(
            int size,
            Persistence persistence,
            ApiServer.Limits limits,
            io.wasmesh.observability.Telemetry telemetry)
            throws Exception {
        TestCluster c = new TestCluster(size, persistence, limits, telemetry);
        for (int i = 0; i < size; i++) {
            c.nodes.add(c.startNode(i));
        }
        return c;
    }

    /** Starts (again) the node at {@code index}, on its member port, joining the others. */
    public ControlPlaneNode startNode(int index) throws Exception {
        List<String> members = new ArrayList<>();
        for (int p : memberPorts) {
            members.add("127.0.0.1:" + p);
        }
        ControlPlaneNode node =
                new ControlPlaneNode(
                                new ControlPlaneNode.Options(
                                        "cp-" + index,
                                        clusterName,
                                        "127.0.0.1",
                                        memberPorts.get(index),
                                        members,
                                        "127.0.0.1",
                                        0,
                                        persistence,
                                        null,
                                        OPERATOR_TOKEN,
                                        limits,
                                        telemetry))
                        .start();
        if (index < nodes.size()) {
            nodes.set(index, node);
        }
        return node;
    }

    public ControlPlaneNode node(int index) {
        return nodes.get(index);
    }

    public List<ControlPlaneNode> nodes() {
        return nodes;
    }

    public Api operator(int index) {
        return new Api(nodes.get(index).apiUrl(), OPERATOR_TOKEN);
    }

    public Api anonymous(int index) {
        return new Api(nodes.get(index).apiUrl(), null);
    }

    /** Every node leaves gracefully. */
    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                // already stopped or killed
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.wasmesh.controlplane.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.wasmesh.controlplane.store.persist.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * In-process Hazelcast members of one private cluster: TCP-IP join on 127.0.0.1 from a free port
 * up, no multicast, and a cluster name of its own, so that parallel runs never join each other.
 */
public final class TestMembers implements AutoCloseable {
    private static final int MAX_MEMBERS = 3;
    // Held, or the JDK may drop the logger and its level with it.
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    static {
        HAZELCAST_LOG.setLevel(Level.WARNING);
    }

    private final String clusterName = "wasmesh-test-" + UUID.randomUUID();
    private final int basePort = freePort();
    private final List<HazelcastInstance> running = new ArrayList<>();

    /** Starts a member with its maps configured by {@link Persistence#apply}. */
    public HazelcastInstance start(Persistence persistence) {
        Config config = config();
        Persistence.apply(config, persistence);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        running.add(member);
        return member;
    }

    /** A graceful shutdown: its partitions move to the members left. */
    public void shutdown(HazelcastInstance member) {
        member.shutdown();
        running.remove(member);
    }

    @Override
    public void close() {
        for (HazelcastInstance member : List.copyOf(running)) {
            shutdown(member);
        }
    }

    private Config config() {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(basePort).setPortAutoIncrement(true).setPortCount(MAX_MEMBERS);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int i = 0; i < MAX_MEMBERS; i++) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + (basePort + i));
        }
        return config;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

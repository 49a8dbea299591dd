package io.wasmesh.launcher;

import io.wasmesh.controlplane.ControlPlaneNode;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wasmesh control-plane}: runs one control-plane node (a Hazelcast member and the API) until
 * stopped.
 */
@Command(
        name = "control-plane",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a control-plane node: an embedded Hazelcast member holding tenants, modules and",
            "config revisions, the REST API (/v1, OpenAPI at /v1/openapi.json) and the push stream",
            "proxies connect to. Nodes form a cluster by an explicit member list (no multicast)."
        })
public final class ControlPlaneCommand implements Callable<Integer> {
    @Option(names = "--name", description = "This node's name (default: ${DEFAULT-VALUE}).")
    String name = "cp-1";

    @Option(
            names = "--cluster-name",
            description = "Members join only a cluster of this name (default: ${DEFAULT-VALUE}).")
    String clusterName = "wasmesh";

    @Option(
            names = "--member-host",
            description = "The address the member binds and announces (default: ${DEFAULT-VALUE}).")
    String memberHost = "127.0.0.1";

    @Option(names = "--member-port", description = "The member's port (default: ${DEFAULT-VALUE}).")
    int memberPort = 5701;

    @Option(
            names = "--members",
            split = ",",
            paramLabel = "HOST:PORT",
            description = "The other members (comma-separated); none for a single node.")
    List<String> members = new ArrayList<>();

    @Option(
            names = "--api-host",
            description = "Where the API listens (default: ${DEFAULT-VALUE}).")
    String apiHost = "127.0.0.1";

    @Option(names = "--api-port", description = "The API's port (default: ${DEFAULT-VALUE}).")
    int apiPort = 7070;

    @Option(
            names = "--data-dir",
            description =
                    "Where the file store and the bootstrap operator token live (default:"
                            + " ${DEFAULT-VALUE}). Members of one cluster using the file store"
                            + " must share this folder.")
    Path dataDir = Path.of("wasmesh-data", "control-plane");

    @Option(
            names = "--store",
            description = "files (default), postgres, or memory (nothing survives a restart).")
    String store = "files";

    @Option(
            names = "--postgres-url",
            paramLabel = "JDBC_URL",
            description = "With --store postgres: e.g. jdbc:postgresql://db:5432/wasmesh")
    String postgresUrl;

    @Option(names = "--postgres-user", description = "With --store postgres.")
    String postgresUser;

    @Override
    public Integer call() throws Exception {
        Persistence persistence;
        switch (store) {
            case "files":
                persistence = Persistence.files(dataDir.resolve("store"));
                break;
            case "memory":
                persistence = Persistence.none();
                break;
            case "postgres":
                if (postgresUrl == null) {
                    System.err.println("wasmesh: --store postgres needs --postgres-url");
                    return 2;
                }
                persistence =
                        Persistence.postgres(
                                postgresUrl,
                                postgresUser,
                                System.getenv("WASMESH_POSTGRES_PASSWORD"));
                break;
            default:
                System.err.println("wasmesh: --store must be files, postgres or memory");
                return 2;
        }
        List<String> all = new ArrayList<>(members);
        all.add(memberHost + ":" + memberPort);
        ControlPlaneNode node =
                new ControlPlaneNode(
                                new ControlPlaneNode.Options(
                                        name,
                                        clusterName,
                                        memberHost,
                                        memberPort,
                                        all,
                                        apiHost,
                                        apiPort,
                                        persistence,
                                        dataDir,
                                        System.getenv("WASMESH_OPERATOR_TOKEN"),
                                        ApiServer.Limits.DEFAULT,
                                        null))
                        .start();
        System.out.println("wasmesh: control plane " + name + ", API on " + node.apiUrl());
        if (node.bootstrapToken() != null && System.getenv("WASMESH_OPERATOR_TOKEN") == null) {
            System.out.println(
                    "wasmesh: first start: operator token in " + dataDir.resolve("operator.token"));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    node.close();
                                    stopped.countDown();
                                }));
        stopped.await();
        return 0;
    }
}

package io.wasmesh.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.controlplane.ControlPlaneNode;
import io.wasmesh.controlplane.api.ApiServer;
import io.wasmesh.controlplane.store.persist.Persistence;
import io.wasmesh.launcher.Wasmesh;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tenant-facing commands against a real control-plane node in this JVM, run as {@code wasmesh
 * ...} would run them, with their output and exit codes.
 */
class CliTest {
    static final String OPERATOR = "wm_cli-test-operator-token";
    static final Path ADD_HEADER =
            Path.of("..", "filter-sdk", "examples", "c", "add_header.wasm").toAbsolutePath();
    static ControlPlaneNode node;
    static String server;

    @TempDir Path dir;
    final Map<String, String> env = new HashMap<>();

    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            return ApiClient.parse(out.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        int memberPort = freePort();
        node =
                new ControlPlaneNode(
                                new ControlPlaneNode.Options(
                                        "cp-cli",
                                        "wasmesh-cli-test-" + UUID.randomUUID(),
                                        "127.0.0.1",
                                        memberPort,
                                        List.of("127.0.0.1:" + memberPort),
                                        "127.0.0.1",
                                        0,
                                        Persistence.none(),
                                        null,
                                        OPERATOR,
                                        new ApiServer.Limits(
                                                16 << 20, 1 << 20, 64 << 10, 1000, 1000),
                                        null))
                        .start();
        server = node.apiUrl();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** The caller's own WASMESH_* variables and context file must not leak into the tests. */
    @BeforeEach
    void isolate() {
        CliContext.env = env::get;
        CliContext.defaultFile = dir.resolve("no-such-context.json");
    }

    @AfterEach
    void restore() {
        CliContext.env = System::getenv;
        CliContext.defaultFile = Path.of("wasmesh-data", "context.json");
    }

    static Run wasmesh(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Wasmesh());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int rc = cli.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    /** As the operator, against the test node. */
    static Run operator(String... args) {
        return wasmesh(concat(args, "--server", server, "--token", OPERATOR));
    }

    /** Creates a tenant and answers its token, from the line that exports it. */
    static String createTenant(String name) {
        Run created = operator("tenant", "create", name, "--domain", name + ".test");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        Matcher m =
                Pattern.compile("export WASMESH_TOKEN=(\\S+) WASMESH_TENANT=" + name)
                        .matcher(created.out());
        assertThat(m.find()).as(created.out()).isTrue();
        return m.group(1);
    }

    static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    static String config(String sha, String body) {
        return """
                # the shop's config
                filters:
                  - name: tag
                    module: "sha256:%s"
                    configuration: "add=x-tag: blue"
                routes:
                  - match: {prefix: /}
                    directResponse: {status: 200, body: "%s"}
                """
                .formatted(sha, body);
    }

    @Test
    void aTenantCreatesPushesAppliesRollsBackAndSeesItsStatus() throws IOException {
        String token = createTenant("shop");
        String[] as = {"--server", server, "--token", token, "--tenant", "shop"};

        Run push = wasmesh(concat(new String[] {"module", "push", ADD_HEADER.toString()}, as));
        assertThat(push.exitCode()).as(push.toString()).isZero();
        String sha = ModuleCommands.sha256(Files.readAllBytes(ADD_HEADER));
        assertThat(push.out())
                .contains("uploaded add_header.wasm to tenant shop")
                .contains("sha256: " + sha)
                .contains("kind:   proxy-wasm")
                .contains("size:   " + Files.size(ADD_HEADER) + " bytes")
                .contains("module: \"sha256:" + sha + "\"");
        Run again = wasmesh(concat(new String[] {"module", "push", ADD_HEADER.toString()}, as));
        assertThat(again.out()).startsWith("already uploaded");
        Run modules = wasmesh(concat(new String[] {"module", "list"}, as));
        assertThat(modules.out())
                .startsWith("SHA256")
                .contains(sha + "  proxy-wasm")
                .contains("add_header");

        Path v1 = Files.writeString(dir.resolve("shop.yaml"), config(sha, "one"));
        Run apply = wasmesh(concat(new String[] {"apply", "-f", v1.toString()}, as));
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).isEqualTo("applied revision 2\n");
        Path v2 = Files.writeString(dir.resolve("shop.json"), "{\"routes\": []}");
        assertThat(wasmesh(concat(new String[] {"apply", "-f", v2.toString()}, as)).out())
                .isEqualTo("applied revision 3\n");

        Run revisions = wasmesh(concat(new String[] {"revisions"}, as));
        List<String> lines = revisions.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("REVISION +CREATED +REASON +MODULES");
        assertThat(lines.get(1)).matches("1 +\\S+Z +created +-");
        assertThat(lines.get(2)).matches("2 +\\S+Z +apply +" + sha.substring(0, 12));
        assertThat(lines.get(3)).matches("3 +\\S+Z +apply +-");

        Run rollback = wasmesh(concat(new String[] {"rollback"}, as));
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).isEqualTo("revision 4: rolled back to revision 2\n");
        Run current = wasmesh(concat(new String[] {"config", "get"}, as));
        assertThat(current.out()).isEqualTo(config(sha, "one"));
        assertThat(current.err()).isEqualTo("revision 4 (active)\n");
        Run old = wasmesh(concat(new String[] {"config", "get", "--revision", "3"}, as));
        assertThat(old.out()).isEqualTo("{\"routes\": []}\n");
        assertThat(old.err()).isEqualTo("revision 3\n");

        Run inUse = wasmesh(concat(new String[] {"module", "delete", sha}, as));
        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.err()).isEqualTo("error: the active revision 4 uses module " + sha + "\n");
        Run toThree = wasmesh(concat(new String[] {"rollback", "--to", "3"}, as));
        assertThat(toThree.out()).isEqualTo("revision 5: rolled back to revision 3\n");
        Run delete = wasmesh(concat(new String[] {"module", "delete", sha.substring(0, 8)}, as));
        assertThat(delete.exitCode()).as("by a prefix, once revision 5 no longer uses it").isZero();
        assertThat(delete.out()).isEqualTo("deleted module " + sha + "\n");
        Run status = wasmesh(concat(new String[] {"status"}, as));
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).isEqualTo("revision 5: 0/0 proxies synced\n");

        Run get = operator("tenant", "get", "shop");
        assertThat(get.out())
                .contains("tenant    shop")
                .contains("domains   shop.test")
                .contains("revision  5")
                .contains("modules   0 of 100");
        assertThat(operator("tenant", "list").out()).containsPattern("(?m)^shop +shop.test +5 ");
        assertThat(operator("tenant", "delete", "shop").out()).isEqualTo("deleted tenant shop\n");
        Run gone = wasmesh(concat(new String[] {"status"}, as));
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).startsWith("error: unknown or revoked token");
    }

    @Test
    void aConfigWithErrorsExits1WithEveryErrorAtItsLineInTheFile() throws IOException {
        String token = createTenant("typos");
        Path bad =
                Files.writeString(
                        dir.resolve("typos.yaml"),
                        """
                        routes:
                          - match: {prefix: api}
                            directResponse: {status: 200}
                          - match: {prefix: /}
                            cluster: nowhere
                        """);
        Run run =
                wasmesh(
                        "apply",
                        "-f",
                        bad.toString(),
                        "--server",
                        server,
                        "--token",
                        token,
                        "--tenant",
                        "typos");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        List<String> lines = run.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("error: the config has 2 error(s)");
        assertThat(lines.subList(1, lines.size()))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith(bad + ":2:").contains("routes[0].match"))
                .anySatisfy(
                        l -> assertThat(l).startsWith(bad + ":5:").contains("routes[1].cluster"));

        Path missing =
                Files.writeString(
                        dir.resolve("missing.yaml"),
                        "filters: [{name: f, module: \"sha256:" + "ab".repeat(32) + "\"}]\n");
        Run notUploaded =
                wasmesh(
                        "apply",
                        "-f",
                        missing.toString(),
                        "--server",
                        server,
                        "--token",
                        token,
                        "--tenant",
                        "typos");
        assertThat(notUploaded.exitCode()).isEqualTo(1);
        assertThat(notUploaded.err())
                .contains("module sha256:" + "ab".repeat(32) + " is not uploaded")
                .contains("hint: upload modules with `wasmesh module push FILE`");

        assertThat(operator("revisions", "--tenant", "typos").out().lines()).hasSize(2);
    }

    @Test
    void aStaleIfMatchIsRefusedAndSaysWhichRevisionIsActive() throws IOException {
        String token = createTenant("racy");
        Path doc = Files.writeString(dir.resolve("racy.yaml"), "routes: []\n");
        String[] as = {"--server", server, "--token", token, "--tenant", "racy"};
        assertThat(
                        wasmesh(
                                        concat(
                                                new String[] {
                                                    "apply", "-f", doc.toString(), "--if-match", "1"
                                                },
                                                as))
                                .out())
                .isEqualTo("applied revision 2\n");
        Run stale =
                wasmesh(
                        concat(
                                new String[] {"apply", "-f", doc.toString(), "--if-match", "1"},
                                as));
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.err())
                .startsWith("error: the config changed since revision 1: the active revision is 2");
        Run staleRollback = wasmesh(concat(new String[] {"rollback", "--if-match", "1"}, as));
        assertThat(staleRollback.exitCode()).isEqualTo(1);
        assertThat(staleRollback.err()).contains("the active revision is 2");
        Run noSuch = wasmesh(concat(new String[] {"rollback", "--to", "99"}, as));
        assertThat(noSuch.exitCode()).isEqualTo(1);
        assertThat(noSuch.err()).contains("hint: `wasmesh revisions` lists the ones kept");
    }

    @Test
    void theContextFileProvidesTheServerAndTheTokenEachCommandNeeds() throws IOException {
        String token = createTenant("ctx");
        Path context =
                Files.writeString(
                        dir.resolve("context.json"),
                        """
                        {"server":"%s","operatorToken":"%s","tenant":"ctx","tenantToken":"%s",
                         "written":"by wasmesh up"}
                        """
                                .formatted(server, OPERATOR, token));
        env.put("WASMESH_CONTEXT", context.toString());

        Run tenants = wasmesh("tenant", "list");
        assertThat(tenants.exitCode()).as("operator's token").isZero();
        assertThat(tenants.out()).containsPattern("(?m)^ctx +ctx.test ");
        Run status = wasmesh("status");
        assertThat(status.exitCode()).as("the tenant's token").isZero();
        assertThat(status.out()).isEqualTo("revision 1: 0/0 proxies synced\n");

        // The tenant token is the context tenant's only: another tenant gets the operator's.
        createTenant("other");
        assertThat(wasmesh("status", "--tenant", "other").out())
                .isEqualTo("revision 1: 0/0 proxies synced\n");

        // The environment beats the file, an option beats the environment.
        env.put("WASMESH_TOKEN", token);
        Run asTenant = wasmesh("tenant", "list");
        assertThat(asTenant.exitCode()).isEqualTo(1);
        assertThat(asTenant.err())
                .isEqualTo(
                        "error: this endpoint needs a token of role operator\n"
                                + "hint: the token came from WASMESH_TOKEN\n");
        assertThat(wasmesh("tenant", "list", "--token", OPERATOR).exitCode()).isZero();

        // Without WASMESH_CONTEXT, ./wasmesh-data/context.json is read when it exists.
        env.clear();
        CliContext.defaultFile = context;
        assertThat(wasmesh("tenant", "get").out()).contains("tenant    ctx");
    }

    @Test
    void jsonPrintsTheApisJson() {
        Run created =
                operator("tenant", "create", "js", "--domain", "js.test,www.js.test", "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode both = created.json();
        assertThat(both.path("tenant").path("domains").toString())
                .isEqualTo("[\"js.test\",\"www.js.test\"]");
        String token = both.path("token").path("token").asText();
        assertThat(token).startsWith("wm_");

        JsonNode list = operator("tenant", "list", "--json").json();
        assertThat(list.isArray()).isTrue();
        JsonNode status =
                wasmesh("status", "--json", "--server", server, "--token", token, "--tenant", "js")
                        .json();
        assertThat(status.path("tenant").asText()).isEqualTo("js");
        assertThat(status.path("revision").asLong()).isEqualTo(1);
        assertThat(status.path("proxies").isArray()).isTrue();
        JsonNode revisions =
                wasmesh(
                                "revisions",
                                "--json",
                                "--server",
                                server,
                                "--token",
                                token,
                                "--tenant",
                                "js")
                        .json();
        assertThat(revisions.get(0).path("reason").asText()).isEqualTo("created");
        JsonNode proxyToken = operator("token", "create", "--role", "proxy", "--json").json();
        assertThat(proxyToken.path("role").asText()).isEqualTo("proxy");
    }

    @Test
    void tokensAreIssuedForProxiesAndOperatorsOnly() {
        Run proxy = operator("token", "create", "--role", "proxy", "--name", "edge");
        assertThat(proxy.exitCode()).isZero();
        assertThat(proxy.out())
                .matches("proxy token tok_\\S+ \\(shown once, keep it\\): wm_\\S+\n");
        Run tenant = operator("token", "create", "--role", "tenant");
        assertThat(tenant.exitCode()).isEqualTo(2);
        assertThat(tenant.err()).contains("--role must be proxy or operator");

        createTenant("tok");
        Run another = operator("tenant", "token", "tok", "--name", "ci");
        assertThat(another.out())
                .contains("export WASMESH_TOKEN=wm_")
                .contains("WASMESH_TENANT=tok");
    }

    @Test
    void anUnreachableServerExits2WithAClearMessage() {
        String nowhere = "http://127.0.0.1:" + freePort();
        Run run = wasmesh("tenant", "list", "--server", nowhere, "--token", OPERATOR);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith(
                        "error: cannot reach the control plane at "
                                + nowhere
                                + ": connection refused");
        Run notUrl = wasmesh("tenant", "list", "--server", "localhost:7070", "--token", OPERATOR);
        assertThat(notUrl.exitCode()).isEqualTo(2);
        assertThat(notUrl.err()).contains("must be an http(s) URL");
    }

    @Test
    void usageProblemsExit2() {
        Run noToken = wasmesh("tenant", "list", "--server", server);
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).startsWith("error: this command needs an operator token");
        Run noTenant = wasmesh("status", "--server", server, "--token", OPERATOR);
        assertThat(noTenant.exitCode()).isEqualTo(2);
        assertThat(noTenant.err()).startsWith("error: which tenant?");
        Run noDomain = operator("tenant", "create", "x");
        assertThat(noDomain.exitCode()).isEqualTo(2);
        assertThat(noDomain.err()).contains("Missing required option: '--domain=DOMAIN'");
        Run group = wasmesh("module");
        assertThat(group.exitCode()).isEqualTo(2);
        assertThat(group.err()).contains("which one? push, list, delete");
        Run noFile =
                wasmesh(
                        "apply",
                        "-f",
                        "nope.yaml",
                        "--server",
                        server,
                        "--token",
                        OPERATOR,
                        "--tenant",
                        "t");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).isEqualTo("error: no file nope.yaml\n");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command :
                List.of(
                        new String[] {"tenant", "create"},
                        new String[] {"module", "push"},
                        new String[] {"apply"},
                        new String[] {"rollback"},
                        new String[] {"status"})) {
            Run help = wasmesh(concat(command, "--help"));
            assertThat(help.exitCode()).isZero();
            assertThat(help.out())
                    .startsWith("Usage: wasmesh " + String.join(" ", command))
                    .contains("--server=URL");
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

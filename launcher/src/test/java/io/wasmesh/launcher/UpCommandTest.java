package io.wasmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wasmesh up}: a control plane, a proxy connected to it and the demo tenant applied through
 * the API, serving its filter and its service; started again on the same folder it finds its state.
 */
class UpCommandTest {
    @TempDir Path dir;

    private String up(int memberPort) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc =
                    new CommandLine(new Wasmesh())
                            .execute(
                                    "up",
                                    "--exit",
                                    "--data-dir",
                                    dir.toString(),
                                    "--port",
                                    "0",
                                    "--admin-port",
                                    "0",
                                    "--api-port",
                                    "0",
                                    "--upstream-port",
                                    "0",
                                    "--member-port",
                                    Integer.toString(memberPort));
            assertThat(rc).as(out.toString(StandardCharsets.UTF_8)).isZero();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void upRunsTheDemoTenantAndKeepsItsStateAcrossRestarts() throws IOException {
        int memberPort;
        try (ServerSocket s = new ServerSocket(0)) {
            memberPort = s.getLocalPort();
        }
        String first = up(memberPort);
        assertThat(first)
                .contains("tenant demo at revision 2")
                .contains("\"x-team\" : \"payments\"")
                .contains("Hello, wasmesh!");
        assertThat(dir.resolve("context.json")).exists();
        assertThat(Files.readString(dir.resolve("demo-tenant.yaml"))).contains("sha256:");

        String again = up(memberPort);
        assertThat(again)
                .as("the tenant, its modules and revision come back from the data folder")
                .contains("tenant demo at revision 2")
                .contains("Hello, wasmesh!");
    }
}

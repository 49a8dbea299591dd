package io.wasmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.transport.Transport;
import io.wasmesh.proxy.listener.NetworkTransports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wasmesh proxy} refuses bad configs at start-up with a clear message and exit code. */
class ProxyCommandTest {
    @TempDir Path dir;

    private record Run(int exitCode, String stderr) {}

    private Run proxy(String yaml, String... more) throws IOException {
        Path file = Files.writeString(dir.resolve("mesh.yaml"), yaml);
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[3 + more.length];
            args[0] = "proxy";
            args[1] = "--config";
            args[2] = file.toString();
            System.arraycopy(more, 0, args, 3, more.length);
            int rc = new CommandLine(new Wasmesh()).execute(args);
            return new Run(rc, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void anInvalidFileExits2WithEveryErrorAndItsPlace() throws IOException {
        Run run =
                proxy(
                        """
                        listeners: [{name: http, port: 0}]
                        tenants:
                          - name: shop
                            domains: [shop.test]
                            routes:
                              - match: {prefix: api}
                                cluster: nowhere
                        """);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("mesh.yaml:6:")
                .contains("tenants[0].routes[0].match.prefix")
                .contains("tenants[0].routes[0].cluster");
    }

    @Test
    void aFilterRefusingItsConfigurationExits1WithItsReason() throws IOException {
        String apiKey =
                Path.of("..", "filter-sdk", "examples", "c", "api_key.wasm")
                        .toAbsolutePath()
                        .normalize()
                        .toString();
        Run run =
                proxy(
                        """
                        listeners: [{name: http, address: 127.0.0.1, port: 0}]
                        admin: {address: 127.0.0.1, port: 0}
                        tenants:
                          - name: shop
                            domains: [shop.test]
                            filters: [{name: keys, module: "%s", configuration: "colour=blue"}]
                            routes: [{directResponse: {status: 200}}]
                        """
                                .formatted(apiKey));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("filter keys").contains("rejected its configuration");
    }

    @Test
    void anUnknownTransportExits2NamingTheChoices() throws IOException {
        Run run =
                proxy(
                        """
                        listeners: [{name: http, address: 127.0.0.1, port: 0}]
                        tenants: []
                        """,
                        "--transport",
                        "carrier-pigeon");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("--transport carrier-pigeon")
                .contains("native, io_uring, epoll, nio");
    }

    @Test
    void theNativeTransportIsIoUringWhereTheKernelOffersItElseEpoll() {
        Transport chosen = NetworkTransports.named("native");

        if (Transport.IO_URING.available()) {
            assertThat(chosen).isSameAs(Transport.IO_URING);
        } else if (Transport.EPOLL.available()) {
            assertThat(chosen).isSameAs(Transport.EPOLL);
        } else {
            assertThat(chosen).isSameAs(Transport.NIO);
        }
        assertThat(NetworkTransports.named("nio")).isSameAs(Transport.NIO);
    }
}

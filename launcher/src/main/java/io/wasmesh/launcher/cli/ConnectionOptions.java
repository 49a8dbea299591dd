package io.wasmesh.launcher.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Every API command's connection options (a picocli mixin); see {@link CliContext}. */
final class ConnectionOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description =
                    "The control plane's API (env WASMESH_SERVER; default: the context file's,"
                            + " else "
                            + CliContext.DEFAULT_SERVER
                            + ").")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "The bearer token (env WASMESH_TOKEN; default: the context file's operator or"
                            + " tenant token, as the command needs).")
    String token;

    @Option(
            names = "--tenant",
            paramLabel = "NAME",
            description = "The tenant (env WASMESH_TENANT; default: the context file's).")
    String tenant;

    @Option(
            names = "--context",
            paramLabel = "FILE",
            description =
                    "The context file with defaults (env WASMESH_CONTEXT; default:"
                            + " ./wasmesh-data/context.json if it exists).")
    Path context;

    CliContext resolve() {
        return CliContext.resolve(server, token, tenant, context);
    }
}

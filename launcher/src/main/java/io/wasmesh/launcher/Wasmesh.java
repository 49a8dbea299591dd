package io.wasmesh.launcher;

import io.wasmesh.filter.sdk.cli.FilterCommand;
import io.wasmesh.launcher.cli.ConfigCommands;
import io.wasmesh.launcher.cli.ModuleCommands;
import io.wasmesh.launcher.cli.StatusCommand;
import io.wasmesh.launcher.cli.TenantCommands;
import io.wasmesh.launcher.cli.TokenCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wasmesh} command: {@code up} (the whole mesh in one JVM), the demo, the proxy, the
 * control plane, the filter tools, and the control plane's client (tenants, tokens, modules,
 * config, status).
 */
@Command(
        name = "wasmesh",
        mixinStandardHelpOptions = true,
        version = "wasmesh 0.1.0-SNAPSHOT",
        description = "A multi-tenant WebAssembly microservice mesh.",
        subcommands = {
            UpCommand.class,
            DemoCommand.class,
            ProxyCommand.class,
            ControlPlaneCommand.class,
            FilterCommand.class,
            // The control plane's client (io.wasmesh.launcher.cli).
            TenantCommands.class,
            TokenCommands.class,
            ModuleCommands.class,
            ConfigCommands.Apply.class,
            ConfigCommands.class,
            ConfigCommands.Revisions.class,
            ConfigCommands.Rollback.class,
            StatusCommand.class
        })
public final class Wasmesh {
    // Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level.
    private static final java.util.logging.Logger HAZELCAST_LOG =
            java.util.logging.Logger.getLogger("com.hazelcast");

    public static void main(String[] args) {
        // One line per record, with the logger's name (wasmesh.filter.<tenant>.<plugin> for
        // filters).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format", "%1$tT %4$s [%3$s] %5$s%6$s%n");
        }
        if (System.getProperty("java.util.logging.config.file") == null) {
            // Hazelcast narrates membership and partitions at INFO; keep its warnings only.
            HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(new CommandLine(new Wasmesh()).execute(args));
    }
}

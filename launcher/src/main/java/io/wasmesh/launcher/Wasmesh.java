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
 * The {@code wasmesh} command: the demo, the proxy, the filter tools, and the control plane's
 * client (tenants, tokens, modules, config, status).
 */
@Command(
        name = "wasmesh",
        mixinStandardHelpOptions = true,
        version = "wasmesh 0.1.0-SNAPSHOT",
        description = "A multi-tenant WebAssembly microservice mesh.",
        subcommands = {
            DemoCommand.class,
            ProxyCommand.class,
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
    public static void main(String[] args) {
        // One line per record, with the logger's name (wasmesh.filter.<tenant>.<plugin> for
        // filters).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format", "%1$tT %4$s [%3$s] %5$s%6$s%n");
        }
        System.exit(new CommandLine(new Wasmesh()).execute(args));
    }
}

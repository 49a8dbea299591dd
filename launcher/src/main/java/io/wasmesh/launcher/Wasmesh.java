package io.wasmesh.launcher;

import io.wasmesh.filter.sdk.cli.FilterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wasmesh} command: the demo, the proxy, and the filter tools. */
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
            FilterCommand.class
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

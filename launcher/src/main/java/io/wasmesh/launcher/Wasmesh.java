package io.wasmesh.launcher;

import io.wasmesh.filter.sdk.cli.FilterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wasmesh} command. Subcommands arrive with the parts they run (proxy, control plane,
 * up).
 */
@Command(
        name = "wasmesh",
        mixinStandardHelpOptions = true,
        version = "wasmesh 0.1.0-SNAPSHOT",
        description = "A multi-tenant WebAssembly microservice mesh.",
        subcommands = {FilterCommand.class, DemoCommand.class})
public final class Wasmesh {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Wasmesh()).execute(args));
    }
}

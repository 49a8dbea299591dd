package io.wasmesh.launcher.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others ({@code tenant}, {@code module}...): alone, it is a usage
 * error.
 */
abstract class CommandGroup implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "which one? " + String.join(", ", spec.subcommands().keySet()));
    }
}

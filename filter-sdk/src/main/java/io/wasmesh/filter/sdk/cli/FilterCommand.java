package io.wasmesh.filter.sdk.cli;

import picocli.CommandLine.Command;

/** {@code wasmesh filter}: tools for filter authors. */
@Command(
        name = "filter",
        mixinStandardHelpOptions = true,
        description = "Tools for proxy-wasm filter authors.",
        subcommands = {FilterRunCommand.class})
public final class FilterCommand {}

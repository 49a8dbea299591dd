package io.wasmesh.launcher;

import io.wasmesh.filter.sdk.cli.FilterRunCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code wasmesh demo}: the README's main command for now. Runs bundled example filters through the
 * host, one request each, and prints what each did. Later issues widen it to the whole mesh.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs the bundled example filters and shows their effect.")
public final class DemoCommand implements Callable<Integer> {

    private record Step(String title, List<String> args) {}

    private static final List<Step> STEPS =
            List.of(
                    new Step(
                            "add_header (C): adds and removes request headers",
                            List.of(
                                    "--example",
                                    "add_header",
                                    "--config-text",
                                    "add=x-team: payments\nremove=x-internal",
                                    "-H",
                                    "x-internal: secret")),
                    new Step(
                            "api_key (C): answers 401 without a valid key",
                            List.of(
                                    "--example",
                                    "api_key",
                                    "--config-text",
                                    "key=s3cret",
                                    "-H",
                                    "x-api-key: wrong")),
                    new Step(
                            "http_auth (C): pauses, asks an auth service with http_call, resumes",
                            List.of(
                                    "--example",
                                    "http_auth",
                                    "--http-call",
                                    "auth=200",
                                    "-H",
                                    "authorization: Bearer demo")),
                    new Step(
                            "add_header (AssemblyScript, ABI 0.2.0): adds headers both ways",
                            List.of("--example", "as_add_header", "--root-id", "add_header")));

    @Override
    public Integer call() {
        int worst = 0;
        for (Step step : STEPS) {
            System.out.println("== " + step.title());
            System.out.println("$ bin/wasmesh filter run " + String.join(" ", quoted(step.args())));
            int rc =
                    new CommandLine(new FilterRunCommand())
                            .execute(step.args().toArray(new String[0]));
            worst = Math.max(worst, rc);
            System.out.println();
        }
        System.out.println("Try your own: bin/wasmesh filter run --help");
        return worst;
    }

    private static List<String> quoted(List<String> args) {
        return args.stream()
                .map(
                        a ->
                                a.contains(" ") || a.contains("\n")
                                        ? "'" + a.replace("\n", "\\n") + "'"
                                        : a)
                .toList();
    }
}

package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code wasmesh token ...}: tokens not bound to a tenant (operator). */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Issues operator and proxy tokens (operator).",
        subcommands = {TokenCommands.Create.class})
public final class TokenCommands extends CommandGroup {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Issues a proxy token (for `wasmesh proxy` connecting to the control plane) or"
                        + " another operator token. It is shown once.",
                "Tenant tokens come from `wasmesh tenant create` and `wasmesh tenant token`."
            })
    static final class Create extends ApiCommand {
        @Option(
                names = "--role",
                required = true,
                paramLabel = "proxy|operator",
                description = "What the token may do.")
        String role;

        @Option(names = "--name", paramLabel = "N", description = "The token's name.")
        String name;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            if (!role.equals("proxy") && !role.equals("operator")) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--role must be proxy or operator (tenant tokens: wasmesh tenant token)");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", role);
            body.put("name", name);
            ApiClient.Response r = operator().postJson("/v1/tokens", body);
            if (json) {
                printJson(r);
                return 0;
            }
            JsonNode issued = r.json();
            out().println(
                            role
                                    + " token "
                                    + issued.path("id").asText()
                                    + " (shown once, keep it): "
                                    + issued.path("token").asText());
            return 0;
        }
    }
}

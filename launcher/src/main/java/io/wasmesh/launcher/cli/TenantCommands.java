package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasmesh tenant ...}: the operator's tenant commands. */
@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        description = "Creates, shows and deletes tenants, and issues their tokens (operator).",
        subcommands = {
            TenantCommands.Create.class,
            TenantCommands.ListAll.class,
            TenantCommands.Get.class,
            TenantCommands.Token.class,
            TenantCommands.Delete.class
        })
public final class TenantCommands extends CommandGroup {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a tenant (revision 1, an empty config) and issues its first token.",
                "The token is shown once; the last line exports it for the tenant commands."
            })
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The tenant's name.")
        String name;

        @Option(
                names = "--domain",
                required = true,
                split = ",",
                paramLabel = "DOMAIN",
                description = "A domain (Host) it serves; repeat or separate with commas.")
        List<String> domains;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            ApiClient api = operator();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("domains", domains);
            JsonNode tenant = api.postJson("/v1/tenants", body).json();
            JsonNode token;
            try {
                token = api.postJson(tenantPath(name, "/tokens"), Map.of("name", "default")).json();
            } catch (ApiClient.Refused e) {
                err().println(
                                "tenant "
                                        + name
                                        + " was created, but its token was not; try `wasmesh tenant token "
                                        + name
                                        + "`");
                throw e;
            }
            if (json) {
                ObjectNode both = ApiClient.JSON.createObjectNode();
                both.set("tenant", tenant);
                both.set("token", token);
                printJson(both);
                return 0;
            }
            out().println(
                            "created tenant "
                                    + tenant.path("name").asText()
                                    + " (revision "
                                    + tenant.path("revision").asLong()
                                    + ") serving "
                                    + String.join(", ", texts(tenant.path("domains"))));
            printToken(token, name, out());
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists every tenant (operator).")
    static final class ListAll extends ApiCommand {
        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            ApiClient.Response r = operator().get("/v1/tenants");
            if (json) {
                printJson(r);
                return 0;
            }
            Table t = new Table("NAME", "DOMAINS", "REVISION", "MODULES", "CREATED");
            for (JsonNode tenant : r.json()) {
                t.row(
                        tenant.path("name").asText(),
                        String.join(",", texts(tenant.path("domains"))),
                        tenant.path("revision").asLong(),
                        tenant.path("usage").path("modules").asInt(),
                        Table.time(tenant.path("createdAt").asText()));
            }
            t.print(out());
            return 0;
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Shows a tenant: domains, active revision, module usage, limits.")
    static final class Get extends ApiCommand {
        @Parameters(
                paramLabel = "NAME",
                arity = "0..1",
                description = "The tenant (default: --tenant, WASMESH_TENANT or the context's).")
        String name;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            String tenant = name != null ? name : context().tenant();
            ApiClient.Response r = tenantClient(tenant).get(tenantPath(tenant, ""));
            if (json) {
                printJson(r);
                return 0;
            }
            JsonNode t = r.json();
            JsonNode quota = t.path("quota");
            JsonNode usage = t.path("usage");
            field("tenant", t.path("name").asText());
            field("domains", String.join(", ", texts(t.path("domains"))));
            field("revision", t.path("revision").asText());
            field(
                    "modules",
                    usage.path("modules").asInt()
                            + " of "
                            + quota.path("modules").asInt()
                            + ", "
                            + Table.bytes(usage.path("moduleBytes").asLong())
                            + " of "
                            + Table.bytes(quota.path("moduleBytes").asLong()));
            field("limits", t.path("limits").toString());
            field("created", Table.time(t.path("createdAt").asText()));
            return 0;
        }

        private void field(String name, String value) {
            out().printf("%-9s %s%n", name, value);
        }
    }

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description = "Issues another token for a tenant (operator); it is shown once.")
    static final class Token extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The tenant.")
        String tenant;

        @Option(names = "--name", paramLabel = "N", description = "The token's name.")
        String tokenName;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", tokenName);
            ApiClient.Response r = operator().postJson(tenantPath(tenant, "/tokens"), body);
            if (json) {
                printJson(r);
                return 0;
            }
            printToken(r.json(), tenant, out());
            return 0;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description =
                    "Deletes a tenant with its modules, config, tokens and domains (operator).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The tenant.")
        String tenant;

        @Override
        int run() {
            operator().delete(tenantPath(tenant, ""));
            out().println("deleted tenant " + tenant);
            return 0;
        }
    }

    /** The new token, once, and the line that makes it the tenant commands' default. */
    static void printToken(JsonNode issued, String tenant, java.io.PrintWriter out) {
        String secret = issued.path("token").asText();
        out.println(
                "tenant token " + issued.path("id").asText() + " (shown once, keep it): " + secret);
        out.println("export WASMESH_TOKEN=" + secret + " WASMESH_TENANT=" + tenant);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

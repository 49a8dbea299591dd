package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wasmesh status}: which proxy runs which revision of the tenant. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows, per proxy, whether it runs the tenant's active revision (tenant).",
            "SYNCED: it does; STALE: sent, not acknowledged yet; NACKED: refused (ERROR says why;"
                    + " it keeps the older one); DISCONNECTED: serves what it last applied."
        })
public final class StatusCommand extends ApiCommand {
    @Option(names = "--json", description = JSON_HELP)
    boolean json;

    @Override
    int run() {
        String tenant = context().tenant();
        ApiClient.Response r = tenantClient(tenant).get(tenantPath(tenant, "/status"));
        if (json) {
            printJson(r);
            return 0;
        }
        JsonNode s = r.json();
        JsonNode proxies = s.path("proxies");
        if (!proxies.isEmpty()) {
            Table t = new Table("NODE", "STATE", "APPLIED", "MEMBER", "ERROR");
            for (JsonNode p : proxies) {
                long applied = p.path("applied").asLong();
                t.row(
                        p.path("node").asText(),
                        p.path("state").asText(),
                        applied > 0 ? Long.toString(applied) : "",
                        p.path("member").asText(""),
                        p.path("error").asText(""));
            }
            t.print(out());
        }
        out().println(
                        "revision "
                                + s.path("revision").asLong()
                                + ": "
                                + s.path("synced").asInt()
                                + "/"
                                + proxies.size()
                                + " proxies synced");
        return 0;
    }
}

package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A tenant's config: {@code wasmesh config get}, and the top-level {@code apply}, {@code revisions}
 * and {@code rollback} (nested here, registered on {@code wasmesh} itself).
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Shows the tenant's config document (tenant).",
        subcommands = {ConfigCommands.Get.class})
public final class ConfigCommands extends CommandGroup {
    /** How the API names the document in its errors, whatever the file was called. */
    private static final Pattern SOURCE = Pattern.compile("^config\\.(yaml|json):");

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Applies a config document (filters, routes, clusters, services; modules by"
                        + " digest) as the tenant's next revision.",
                "A document with errors changes nothing: each is printed as FILE:LINE:COL: path:"
                        + " message, and the exit code is 1."
            })
    public static final class Apply extends ApiCommand {
        @Option(
                names = {"-f", "--file"},
                required = true,
                paramLabel = "FILE",
                description = "The document: .yaml, .yml or .json (- reads standard input).")
        String file;

        @Option(
                names = "--if-match",
                paramLabel = "N",
                description =
                        "Apply only while revision N is the active one (so nobody's change is"
                                + " overwritten unseen).")
        Long ifMatch;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() throws IOException {
            byte[] body =
                    file.equals("-")
                            ? System.in.readAllBytes()
                            : ModuleCommands.read(Path.of(file));
            String tenant = context().tenant();
            ApiClient.Response r;
            try {
                r =
                        tenantClient(tenant)
                                .send(
                                        "PUT",
                                        tenantPath(tenant, "/config"),
                                        body,
                                        contentType(file),
                                        ifMatch(ifMatch));
            } catch (ApiClient.Refused e) {
                if (e.status() == 412) {
                    return stale(e, ifMatch, err());
                }
                if (e.status() != 422 || file.equals("-")) {
                    throw e;
                }
                List<String> errors = new ArrayList<>();
                for (String line : e.errors()) {
                    errors.add(
                            SOURCE.matcher(line)
                                    .replaceFirst(Matcher.quoteReplacement(file + ":")));
                }
                err().println("error: " + e.getMessage());
                errors.forEach(err()::println);
                if (errors.stream().anyMatch(l -> l.endsWith("is not uploaded"))) {
                    err().println("hint: upload modules with `wasmesh module push FILE`");
                }
                return 1;
            }
            if (json) {
                printJson(r);
                return 0;
            }
            out().println("applied revision " + r.json().path("revision").asLong());
            return 0;
        }

        private static String contentType(String file) {
            String f = file.toLowerCase(Locale.ROOT);
            if (f.endsWith(".json")) {
                return "application/json";
            }
            if (f.endsWith(".yaml") || f.endsWith(".yml")) {
                return "application/yaml";
            }
            return null; // the control plane tells JSON from YAML by the first character
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the active config document (or an earlier revision's) as it was applied.",
                "The revision number goes to standard error, so the output can be saved and"
                        + " applied again."
            })
    static final class Get extends ApiCommand {
        @Option(names = "--revision", paramLabel = "N", description = "An earlier revision.")
        Long revision;

        @Option(
                names = "--json",
                description = "Print {revision, active, format, document} as JSON.")
        boolean json;

        @Override
        int run() {
            String tenant = context().tenant();
            String path = revision == null ? "/config" : "/config/revisions/" + revision;
            ApiClient.Response r = tenantClient(tenant).get(tenantPath(tenant, path));
            String number = r.header("wasmesh-revision");
            boolean active = r.header("etag") != null;
            String contentType = r.header("content-type");
            if (json) {
                ObjectNode o = ApiClient.JSON.createObjectNode();
                o.put("revision", number == null ? 0 : Long.parseLong(number));
                o.put("active", active);
                o.put(
                        "format",
                        contentType != null && contentType.contains("json") ? "json" : "yaml");
                o.put("document", r.text());
                printJson(o);
                return 0;
            }
            String text = r.text();
            err().println(
                            "revision "
                                    + number
                                    + (active ? " (active)" : "")
                                    + (text.isBlank() ? ": an empty document" : ""));
            err().flush();
            out().print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out().println();
            }
            return 0;
        }
    }

    @Command(
            name = "revisions",
            mixinStandardHelpOptions = true,
            description = "Lists the tenant's config revisions (the last 100 are kept).")
    public static final class Revisions extends ApiCommand {
        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            String tenant = context().tenant();
            ApiClient.Response r =
                    tenantClient(tenant).get(tenantPath(tenant, "/config/revisions"));
            if (json) {
                printJson(r);
                return 0;
            }
            List<JsonNode> revisions = new ArrayList<>();
            r.json().forEach(revisions::add);
            revisions.sort(Comparator.comparingLong(n -> n.path("revision").asLong()));
            Table t = new Table("REVISION", "CREATED", "REASON", "MODULES");
            for (JsonNode rev : revisions) {
                List<String> modules = new ArrayList<>();
                rev.path("modules").forEach(m -> modules.add(Table.shortDigest(m.asText())));
                t.row(
                        rev.path("revision").asLong(),
                        Table.time(rev.path("createdAt").asText()),
                        rev.path("reason").asText(),
                        String.join(",", modules));
            }
            t.print(out());
            return 0;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Makes an earlier revision's document active again, as a new revision.",
                "The operator's settings (domains, limits) stay as they are now."
            })
    public static final class Rollback extends ApiCommand {
        @Option(
                names = "--to",
                paramLabel = "N",
                description = "The revision to go back to (default: the one before the active).")
        Long to;

        @Option(
                names = "--if-match",
                paramLabel = "N",
                description = "Roll back only while revision N is the active one.")
        Long ifMatch;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            String tenant = context().tenant();
            ApiClient api = tenantClient(tenant);
            byte[] body = json(to == null ? Map.of() : Map.of("revision", to));
            ApiClient.Response r;
            try {
                r =
                        api.send(
                                "POST",
                                tenantPath(tenant, "/config/rollback"),
                                body,
                                "application/json",
                                ifMatch(ifMatch));
            } catch (ApiClient.Refused e) {
                if (e.status() == 412) {
                    return stale(e, ifMatch, err());
                }
                if (e.type().equals("no-such-revision")) {
                    printRefusal(e);
                    err().println("hint: `wasmesh revisions` lists the ones kept");
                    return 1;
                }
                throw e;
            }
            if (json) {
                printJson(r);
                return 0;
            }
            long revision = r.json().path("revision").asLong();
            out().println(
                            "revision "
                                    + revision
                                    + ": rolled back to revision "
                                    + r.json().path("rolledBackTo").asLong());
            return 0;
        }

        private static byte[] json(Object body) {
            try {
                return ApiClient.JSON.writeValueAsBytes(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String[] ifMatch(Long revision) {
        return revision == null ? new String[0] : new String[] {"if-match", "\"" + revision + "\""};
    }

    /** 412: the active revision moved on since the one the caller saw. */
    private static int stale(ApiClient.Refused e, Long ifMatch, java.io.PrintWriter err) {
        String etag = e.header("etag");
        String active = etag == null ? "?" : etag.replace("\"", "");
        err.println(
                "error: the config changed since revision "
                        + ifMatch
                        + ": the active revision is "
                        + active);
        err.println(
                "hint: look at it with `wasmesh config get`, then retry with --if-match " + active);
        return 1;
    }
}

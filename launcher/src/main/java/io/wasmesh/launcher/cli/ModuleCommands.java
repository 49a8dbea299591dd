package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasmesh module ...}: a tenant's Wasm modules. */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = "Uploads, lists and deletes the tenant's Wasm modules (tenant).",
        subcommands = {
            ModuleCommands.Push.class,
            ModuleCommands.ListAll.class,
            ModuleCommands.Delete.class
        })
public final class ModuleCommands extends CommandGroup {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    @Command(
            name = "push",
            mixinStandardHelpOptions = true,
            description = {
                "Uploads a .wasm (a proxy-wasm filter or a WASI service); the control plane checks"
                        + " it against the sha256 computed here and validates it.",
                "Prints the line that references it from a config."
            })
    static final class Push extends ApiCommand {
        @Parameters(paramLabel = "FILE", description = "The module.")
        Path file;

        @Option(
                names = "--name",
                paramLabel = "N",
                description = "A name to list it by (default: the file's, without .wasm).")
        String name;

        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            byte[] bytes = read(file);
            String sha = sha256(bytes);
            String label = name != null ? name : defaultName(file);
            String tenant = context().tenant();
            ApiClient.Response r =
                    tenantClient(tenant)
                            .send(
                                    "POST",
                                    tenantPath(tenant, "/modules")
                                            + "?sha256="
                                            + sha
                                            + "&name="
                                            + ApiClient.query(label),
                                    bytes,
                                    "application/wasm");
            if (json) {
                printJson(r);
                return 0;
            }
            JsonNode m = r.json();
            out().println(
                            (r.status() == 201 ? "uploaded " : "already uploaded ")
                                    + file.getFileName()
                                    + " to tenant "
                                    + tenant);
            out().println("sha256: " + m.path("sha256").asText());
            out().println("kind:   " + m.path("kind").asText());
            out().println("size:   " + m.path("size").asLong() + " bytes");
            out().println("in a config: module: \"sha256:" + m.path("sha256").asText() + "\"");
            return 0;
        }

        private static String defaultName(Path file) {
            String n = file.getFileName().toString();
            return n.endsWith(".wasm") ? n.substring(0, n.length() - 5) : n;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the tenant's modules.")
    static final class ListAll extends ApiCommand {
        @Option(names = "--json", description = JSON_HELP)
        boolean json;

        @Override
        int run() {
            String tenant = context().tenant();
            ApiClient.Response r = tenantClient(tenant).get(tenantPath(tenant, "/modules"));
            if (json) {
                printJson(r);
                return 0;
            }
            Table t = new Table("SHA256", "KIND", "SIZE", "NAME", "UPLOADED");
            for (JsonNode m : r.json()) {
                t.row(
                        m.path("sha256").asText(),
                        m.path("kind").asText(),
                        m.path("size").asLong(),
                        m.path("name").asText(""),
                        Table.time(m.path("uploadedAt").asText()));
            }
            t.print(out());
            return 0;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Deletes a module; refused while the active revision uses it.")
    static final class Delete extends ApiCommand {
        @Parameters(
                paramLabel = "SHA256",
                description = "Its digest (or sha256:..., or a unique prefix of 8+ hex digits).")
        String digest;

        @Override
        int run() {
            String tenant = context().tenant();
            ApiClient api = tenantClient(tenant);
            String sha = resolve(api, tenant, digest);
            api.delete(tenantPath(tenant, "/modules/" + sha));
            out().println("deleted module " + sha);
            return 0;
        }

        private static String resolve(ApiClient api, String tenant, String given) {
            String hex = given.toLowerCase(Locale.ROOT);
            if (hex.startsWith("sha256:")) {
                hex = hex.substring(7);
            }
            if (SHA256.matcher(hex).matches()) {
                return hex;
            }
            if (hex.length() < 8 || !HEX.matcher(hex).matches()) {
                throw CliException.usage(
                        "a module is named by its sha256 (64 hex digits, or a unique prefix of at"
                                + " least 8)");
            }
            List<String> matches = new ArrayList<>();
            for (JsonNode m : api.get(tenantPath(tenant, "/modules")).json()) {
                if (m.path("sha256").asText().startsWith(hex)) {
                    matches.add(m.path("sha256").asText());
                }
            }
            if (matches.size() != 1) {
                throw new CliException(
                        1,
                        matches.isEmpty()
                                ? "no module starts with " + hex
                                : "more than one module starts with " + hex,
                        matches);
            }
            return matches.get(0);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no file " + file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

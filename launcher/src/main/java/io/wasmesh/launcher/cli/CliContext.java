package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the commands connect and as whom: each setting from its option, else its environment
 * variable, else the context file ({@code $WASMESH_CONTEXT}, else {@code
 * ./wasmesh-data/context.json} when it exists, written by {@code wasmesh up}).
 */
final class CliContext {
    static final String DEFAULT_SERVER = "http://127.0.0.1:7070";

    /** The environment; tests replace it so the caller's own WASMESH_* variables stay out. */
    static volatile Function<String, String> env = System::getenv;

    /** The context file read when {@code WASMESH_CONTEXT} is not set (if it exists). */
    static volatile Path defaultFile = Path.of("wasmesh-data", "context.json");

    /** The context file's content. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(String server, String operatorToken, String tenant, String tenantToken) {
        static final File NONE = new File(null, null, null, null);
    }

    /** A token and where it came from (for hints when the API refuses it). */
    record Credential(String token, String source) {}

    private final String server;
    private final String token;
    private final String tokenSource;
    private final String tenant;
    private final File file;
    private final String fileName;

    private CliContext(
            String server,
            String token,
            String tokenSource,
            String tenant,
            File file,
            String fileName) {
        this.server = server;
        this.token = token;
        this.tokenSource = tokenSource;
        this.tenant = tenant;
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * @param contextFile the {@code --context} option, or null
     */
    static CliContext resolve(String server, String token, String tenant, Path contextFile) {
        Path path = contextFile;
        boolean explicit = true;
        if (path == null && present(env.apply("WASMESH_CONTEXT"))) {
            path = Path.of(env.apply("WASMESH_CONTEXT"));
        } else if (path == null) {
            path = defaultFile;
            explicit = false;
        }
        File file = read(path, explicit);
        String tokenSource = present(token) ? "--token" : "WASMESH_TOKEN";
        return new CliContext(
                first(server, env.apply("WASMESH_SERVER"), file.server(), DEFAULT_SERVER),
                first(token, env.apply("WASMESH_TOKEN")),
                tokenSource,
                first(tenant, env.apply("WASMESH_TENANT"), file.tenant()),
                file,
                path.toString());
    }

    String server() {
        return server;
    }

    /** The tenant the tenant commands act on. */
    String tenant() {
        if (tenant == null) {
            throw CliException.usage(
                    "which tenant? give --tenant NAME or set WASMESH_TENANT",
                    "(or run `wasmesh up`, which writes a context file naming one)");
        }
        return tenant;
    }

    /** The token for the operator's endpoints. */
    Credential operatorToken() {
        if (token != null) {
            return new Credential(token, tokenSource);
        }
        if (present(file.operatorToken())) {
            return new Credential(file.operatorToken(), fileName + " (operatorToken)");
        }
        throw CliException.usage(
                "this command needs an operator token: give --token or set WASMESH_TOKEN",
                "(`wasmesh up` writes one to wasmesh-data/context.json)");
    }

    /**
     * The token for {@code tenantName}'s endpoints: the context's tenant token when it is that
     * tenant's, else its operator token (an operator may act on any tenant).
     */
    Credential tenantToken(String tenantName) {
        if (token != null) {
            return new Credential(token, tokenSource);
        }
        if (present(file.tenantToken()) && tenantName.equals(file.tenant())) {
            return new Credential(file.tenantToken(), fileName + " (tenantToken)");
        }
        if (present(file.operatorToken())) {
            return new Credential(file.operatorToken(), fileName + " (operatorToken)");
        }
        throw CliException.usage(
                "this command needs the tenant's token: give --token or set WASMESH_TOKEN",
                "(`wasmesh tenant create` and `wasmesh tenant token` issue one)");
    }

    private static File read(Path path, boolean explicit) {
        try {
            return ApiClient.JSON.readValue(Files.readAllBytes(path), File.class);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw CliException.usage("no context file " + path);
            }
            return File.NONE;
        } catch (JacksonException e) {
            throw CliException.usage(
                    "the context file " + path + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CliException.usage("cannot read the context file " + path + ": " + e);
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (present(v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }
}

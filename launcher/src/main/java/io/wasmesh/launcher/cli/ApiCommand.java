package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every API command shares: the connection options, output through picocli's writers, and the
 * exit codes (0 done, 1 the API refused, 2 a usage or connection problem).
 */
abstract class ApiCommand implements Callable<Integer> {
    static final String JSON_HELP = "Print the API's JSON instead of text.";

    @Spec CommandSpec spec;

    @Mixin ConnectionOptions connection;

    private CliContext context;

    /** The command's work; its return value is the exit code. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (ApiClient.Refused e) {
            printRefusal(e);
            return 1;
        } catch (CliException e) {
            err().println("error: " + e.getMessage());
            e.lines().forEach(err()::println);
            return e.exitCode();
        } finally {
            out().flush();
            err().flush();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    CliContext context() {
        if (context == null) {
            context = connection.resolve();
        }
        return context;
    }

    /** A client with the operator's token. */
    ApiClient operator() {
        return new ApiClient(context().server(), context().operatorToken());
    }

    /** A client for {@code tenant}'s endpoints. */
    ApiClient tenantClient(String tenant) {
        return new ApiClient(context().server(), context().tenantToken(tenant));
    }

    /** {@code /v1/tenants/<tenant>} followed by {@code rest}. */
    static String tenantPath(String tenant, String rest) {
        return "/v1/tenants/" + ApiClient.segment(tenant) + rest;
    }

    /** The API's JSON, as it sent it. */
    void printJson(ApiClient.Response r) {
        String text = r.text();
        out().print(text);
        if (!text.endsWith("\n")) {
            out().println();
        }
    }

    void printJson(JsonNode node) {
        try {
            out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code error: <detail>}, each error on its own line, and a hint for a refused token. */
    void printRefusal(ApiClient.Refused e) {
        err().println("error: " + e.getMessage());
        e.errors().forEach(err()::println);
        if ((e.status() == 401 || e.status() == 403) && e.tokenSource() != null) {
            err().println("hint: the token came from " + e.tokenSource());
        }
        if (e.status() == 429 && e.header("retry-after") != null) {
            err().println("hint: try again in " + e.header("retry-after") + " s");
        }
    }
}

package io.wasmesh.filter.sdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wasmesh.filter.sdk.testing.FilterHarness;
import io.wasmesh.filter.sdk.testing.FilterOutcome;
import io.wasmesh.filter.sdk.testing.HttpMessage;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.proxywasm.FailurePolicy;
import io.wasmesh.wasm.proxywasm.PluginRejectedException;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.HttpCallRequest;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wasmesh filter run}: one request (and response) through one filter, the outcome printed as
 * JSON.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a proxy-wasm filter on the wasmesh host against one request and prints what it did as JSON:",
            "the request headers after the filter, the local reply if it answered, the response, logs,",
            "HTTP calls and metrics. Exit code 0 when the filter ran (whatever it decided), 1 when it was",
            "rejected or failed to load, 2 on usage errors."
        },
        sortOptions = false)
public final class FilterRunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--wasm", paramLabel = "FILE", description = "The filter module (.wasm).")
    Path wasm;

    @Option(
            names = "--example",
            paramLabel = "NAME",
            description =
                    "A bundled example instead of --wasm: add_header, api_key, http_auth, body_rewrite, counter, tick, as_add_header.")
    String example;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Plugin configuration (bytes given to on_configure).")
    Path config;

    @Option(
            names = "--config-text",
            paramLabel = "TEXT",
            description = "Plugin configuration given inline.")
    String configText;

    @Option(
            names = "--root-id",
            paramLabel = "ID",
            description = "Root id (plugin_root_id); default: the plugin name.")
    String rootId;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Plugin name (plugin_name). Default: ${DEFAULT-VALUE}.")
    String name = "filter";

    @Option(names = "--method", description = "Request method. Default: ${DEFAULT-VALUE}.")
    String method = "GET";

    @Option(names = "--path", description = "Request path. Default: ${DEFAULT-VALUE}.")
    String path = "/";

    @Option(
            names = {"-H", "--header"},
            paramLabel = "'NAME: VALUE'",
            description = "A request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "FILE", description = "Request body.")
    Path body;

    @Option(
            names = "--response-status",
            description = "Status of the upstream's response. Default: ${DEFAULT-VALUE}.")
    int responseStatus = 200;

    @Option(
            names = "--response-body",
            paramLabel = "TEXT",
            description = "Body of the upstream's response.")
    String responseBody = "upstream response\n";

    @Option(
            names = "--http-call",
            paramLabel = "UPSTREAM=STATUS[:BODY]",
            description =
                    "Answer proxy_http_call to UPSTREAM with STATUS and BODY (repeatable); 'UPSTREAM=reset' fails the call.")
    List<String> httpCalls = new ArrayList<>();

    @Option(
            names = "--ticks",
            description = "Fire the filter's tick timer N times before the request.")
    int ticks;

    @Option(
            names = "--deadline-ms",
            description = "Deadline of each guest call. Default: ${DEFAULT-VALUE}.")
    long deadlineMillis = 100;

    @Option(
            names = "--failure-policy",
            description = "FAIL_CLOSED, FAIL_OPEN or RELOAD. Default: ${DEFAULT-VALUE}.")
    FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] module = loadModule(err);
        if (module == null) {
            return 2;
        }
        FilterHarness.Builder builder =
                FilterHarness.builder(module)
                        .name(name)
                        .failurePolicy(failurePolicy)
                        .callDeadline(Duration.ofMillis(deadlineMillis));
        if (rootId != null) {
            builder.rootId(rootId);
        }
        if (config != null) {
            builder.configuration(Files.readAllBytes(config));
        } else if (configText != null) {
            builder.configuration(configText);
        }
        for (String spec : httpCalls) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                err.println(
                        "--http-call: "
                                + spec
                                + " (expected: UPSTREAM=STATUS[:BODY] or UPSTREAM=reset)");
                return 2;
            }
            builder.httpUpstream(spec.substring(0, eq), answer(spec.substring(eq + 1)));
        }
        HttpMessage request = HttpMessage.request(method, path);
        for (String h : headers) {
            int colon = h.indexOf(':', 1);
            if (colon < 0) {
                err.println("--header: " + h + " (expected: 'NAME: VALUE')");
                return 2;
            }
            request.setHeader(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        if (body != null) {
            request.body(Files.readAllBytes(body));
        }
        try (FilterHarness harness = builder.build()) {
            for (int i = 0; i < ticks; i++) {
                harness.tick();
            }
            FilterOutcome outcome =
                    harness.exchange(
                            request, HttpMessage.response(responseStatus).body(responseBody));
            out.println(toJson(outcome));
            out.flush();
            return 0;
        } catch (PluginRejectedException | ModuleRejectedException e) {
            err.println("filter rejected: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            err.println("filter did not finish: " + e.getMessage());
            return 1;
        }
    }

    private byte[] loadModule(PrintWriter err) throws IOException {
        if ((wasm == null) == (example == null)) {
            err.println("give exactly one of --wasm FILE or --example NAME");
            return null;
        }
        if (wasm != null) {
            return Files.readAllBytes(wasm);
        }
        String resource =
                example.startsWith("as_")
                        ? "/examples/assemblyscript/" + example.substring(3) + ".wasm"
                        : "/examples/c/" + example + ".wasm";
        try (InputStream in = FilterRunCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                err.println("no bundled example named " + example);
                return null;
            }
            return in.readAllBytes();
        }
    }

    private static java.util.function.Function<HttpCallRequest, HttpCallResponse> answer(
            String spec) {
        if (spec.equals("reset")) {
            return req -> null;
        }
        int colon = spec.indexOf(':');
        int status = Integer.parseInt(colon < 0 ? spec : spec.substring(0, colon));
        String body = colon < 0 ? "" : spec.substring(colon + 1);
        return req -> HttpCallResponse.of(status, body);
    }

    static String toJson(FilterOutcome o) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("forwarded", o.forwarded());
        json.put("request", message(o.requestHeaders(), o.requestBody()));
        if (o.localReply() != null) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("status", o.localReply().status());
            reply.put("details", o.localReply().details());
            reply.put("headers", headers(o.localReply().headers()));
            reply.put("body", o.localReply().bodyAsString());
            json.put("localReply", reply);
        }
        if (o.reset()) {
            json.put("reset", true);
        }
        if (o.responseHeaders() != null) {
            json.put("response", message(o.responseHeaders(), o.responseBody()));
        }
        json.put("decisions", o.decisions());
        json.put("logs", o.logs());
        List<Map<String, Object>> calls = new ArrayList<>();
        for (HttpCallRequest c : o.httpCalls()) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("upstream", c.upstream());
            call.put("headers", headers(c.headers()));
            call.put("timeoutMs", c.timeout().toMillis());
            calls.add(call);
        }
        json.put("httpCalls", calls);
        json.put("metrics", o.metrics());
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json);
    }

    private static Map<String, Object> message(HeaderMap headers, byte[] body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("headers", headers(headers));
        m.put("body", new String(body, StandardCharsets.UTF_8));
        return m;
    }

    private static List<List<String>> headers(HeaderMap map) {
        List<List<String>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : map.entries()) {
            out.add(List.of(e.getKey(), e.getValue()));
        }
        return out;
    }
}

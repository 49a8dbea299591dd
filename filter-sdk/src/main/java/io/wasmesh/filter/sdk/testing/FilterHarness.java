package io.wasmesh.filter.sdk.testing;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.FailurePolicy;
import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.HttpStream;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.abi.StreamType;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.HttpCallRequest;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import io.wasmesh.wasm.proxywasm.tenant.Metrics;
import io.wasmesh.wasm.proxywasm.tenant.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one proxy-wasm filter on the real host (the same engine, ABI and threading as the proxy) and
 * reports what it did. For filter authors' JUnit tests and for {@code wasmesh filter run}:
 *
 * <pre>{@code
 * try (FilterHarness h = FilterHarness.builder(Path.of("api_key.wasm")).configuration("key=s3cret").build()) {
 *     FilterOutcome o = h.exchange(HttpMessage.request("GET", "/").header("x-api-key", "wrong"));
 *     assertThat(o.localReply().status()).isEqualTo(401);
 * }
 * }</pre>
 *
 * <p>A filter that pauses is waited for (its {@code http_call} answers come from the scripted
 * upstreams, on another thread, as in the proxy) up to {@link Builder#resumeTimeout}; a filter that
 * never resumes fails the exchange with {@link IllegalStateException}.
 */
public final class FilterHarness implements AutoCloseable {
    private static final ModuleCache MODULES = new ModuleCache();

    private final ProxyWasmHost host;
    private final ProxyWasmPlugin plugin;
    private final ScriptedUpstreams upstreams;
    private final ManualTicks ticks;
    private final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    private final Duration resumeTimeout;
    private final WasmScheduler scheduler;

    private FilterHarness(Builder b) {
        this.upstreams = b.upstreams;
        this.ticks = new ManualTicks();
        this.resumeTimeout = b.resumeTimeout;
        this.scheduler = new WasmScheduler(WasmScheduler.Config.defaults());
        this.host =
                ProxyWasmHost.builder()
                        .scheduler(scheduler)
                        .httpCalls(upstreams)
                        .ticks(ticks)
                        .logs((plugin, level, message) -> logs.add(level + " " + message))
                        .build();
        CompiledModule module = MODULES.load(b.wasm);
        try {
            this.plugin = host.startPlugin(module, b.pluginConfig()).join();
        } catch (CompletionException e) {
            scheduler.close();
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    public static Builder builder(byte[] wasm) {
        return new Builder(wasm);
    }

    public static Builder builder(Path wasm) {
        try {
            return new Builder(Files.readAllBytes(wasm));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + wasm, e);
        }
    }

    /**
     * Sends {@code request} through the filter, then a plain {@code 200} response if the request
     * got upstream.
     */
    public FilterOutcome exchange(HttpMessage request) {
        return exchange(
                request,
                HttpMessage.response(200)
                        .header("content-type", "text/plain")
                        .body("upstream response\n"));
    }

    /**
     * Sends {@code request} through the filter and, if it got upstream, {@code response} back
     * through it.
     */
    public FilterOutcome exchange(HttpMessage request, HttpMessage response) {
        Exchange x = new Exchange();
        HttpStream stream = plugin.newStream(x, null);
        Direction req = x.pass(stream, StreamType.HTTP_REQUEST, request);
        Direction resp = null;
        if (x.localReply == null && !x.reset) {
            resp = x.pass(stream, StreamType.HTTP_RESPONSE, response);
        } else if (!x.reset) {
            // As the proxy (and Envoy) do: the reply goes back through the response callbacks.
            resp = x.pass(stream, StreamType.HTTP_RESPONSE, asResponse(x.localReply));
        }
        stream.complete().join();
        return new FilterOutcome(
                req.headers,
                req.body.toByteArray(),
                req.trailers,
                resp == null ? null : resp.headers,
                resp == null ? null : resp.body.toByteArray(),
                resp == null ? null : resp.trailers,
                x.localReply,
                x.reset,
                List.copyOf(x.decisions),
                takeLogs(),
                upstreams.takeCalls(),
                metrics());
    }

    /** Fires every tick timer the filter set once, and waits until the filter has handled it. */
    public void tick() {
        ticks.fire();
        plugin.barrier().join();
        plugin.barrier().join(); // queue items enqueued by on_tick are delivered in a second round
    }

    /** Whether the filter set a tick period. */
    public boolean tickArmed() {
        return ticks.armed();
    }

    /** A value in the tenant's shared data (plugin vm_id namespace), or null. */
    public String sharedData(String key) {
        SharedData.Entry e =
                host.tenants()
                        .tenant(plugin.config().tenant())
                        .sharedData()
                        .get(plugin.config().vmId(), key);
        return e == null ? null : new String(e.value(), StandardCharsets.UTF_8);
    }

    /** The tenant's metrics by name. */
    public Map<String, Long> metrics() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Metrics.Metric m : host.tenants().tenant(plugin.config().tenant()).metrics().all()) {
            out.put(m.name(), m.value());
        }
        return out;
    }

    /** Logs since the last exchange (or start). */
    public List<String> takeLogs() {
        synchronized (logs) {
            List<String> out = new ArrayList<>(logs);
            logs.clear();
            return out;
        }
    }

    public ProxyWasmPlugin plugin() {
        return plugin;
    }

    @Override
    public void close() {
        plugin.close();
        scheduler.close();
    }

    /** One direction's result. */
    private static final class Direction {
        HeaderMap headers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        HeaderMap trailers;
    }

    /**
     * Drives one stream and collects the asynchronous events the filter raises while it is held.
     */
    private final class Exchange implements StreamObserver {
        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final List<String> decisions = new ArrayList<>();
        LocalReply localReply;
        boolean reset;

        @Override
        public void onResume(StreamType direction, byte[] bufferedBody) {
            events.add(new Resume(direction, bufferedBody));
        }

        @Override
        public void onLocalReply(LocalReply reply) {
            events.add(reply);
        }

        @Override
        public void onReset() {
            events.add(Boolean.TRUE);
        }

        Direction pass(HttpStream stream, StreamType type, HttpMessage message) {
            boolean request = type == StreamType.HTTP_REQUEST;
            String side = request ? "request" : "response";
            Direction d = new Direction();
            d.headers = message.headersCopy();
            List<byte[]> chunks = message.chunks();
            d.trailers = message.trailersCopy();
            boolean noBody = chunks.isEmpty() && d.trailers == null;

            FilterResult r =
                    await(
                            request
                                    ? stream.onRequestHeaders(d.headers, noBody)
                                    : stream.onResponseHeaders(d.headers, noBody));
            if (!settle(side + "_headers", r, d)) {
                return d;
            }
            for (int i = 0; i < chunks.size(); i++) {
                boolean last = i == chunks.size() - 1 && d.trailers == null;
                r =
                        await(
                                request
                                        ? stream.onRequestBody(chunks.get(i), last)
                                        : stream.onResponseBody(chunks.get(i), last));
                if (r.action() == FilterResult.Action.STOP && !last) {
                    decisions.add(side + "_body: STOP (buffering)");
                    continue;
                }
                if (!settle(side + "_body", r, d)) {
                    return d;
                }
            }
            if (d.trailers != null) {
                r =
                        await(
                                request
                                        ? stream.onRequestTrailers(d.trailers)
                                        : stream.onResponseTrailers(d.trailers));
                settle(side + "_trailers", r, d);
            }
            return d;
        }

        /**
         * Applies a callback's result; waits while the filter holds the stream. Returns false when
         * it ended.
         */
        private boolean settle(String callback, FilterResult r, Direction d) {
            decisions.add(callback + ": " + r.action());
            switch (r.action()) {
                case CONTINUE:
                    d.body.writeBytes(r.body());
                    return true;
                case LOCAL_REPLY:
                    localReply = r.localReply();
                    return false;
                case RESET:
                    reset = true;
                    return false;
                default:
                    return waitForResume(callback, d);
            }
        }

        private boolean waitForResume(String callback, Direction d) {
            Object event;
            try {
                event = events.poll(resumeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the filter held " + callback, e);
            }
            if (event == null) {
                throw new IllegalStateException(
                        "the filter paused "
                                + callback
                                + " and did not resume within "
                                + resumeTimeout.toMillis()
                                + " ms");
            }
            if (event instanceof Resume) {
                decisions.add(callback + ": resumed");
                d.body.writeBytes(((Resume) event).body);
                return true;
            }
            if (event instanceof LocalReply) {
                decisions.add(callback + ": local reply while held");
                localReply = (LocalReply) event;
                return false;
            }
            decisions.add(callback + ": reset while held");
            reset = true;
            return false;
        }
    }

    private record Resume(StreamType direction, byte[] body) {}

    private static HttpMessage asResponse(LocalReply reply) {
        HttpMessage m = HttpMessage.response(reply.status());
        if (reply.headers() != null) {
            for (var h : reply.headers().entries()) {
                m.header(h.getKey(), h.getValue());
            }
        }
        return reply.body().length == 0 ? m : m.body(reply.body());
    }

    private static FilterResult await(java.util.concurrent.CompletableFuture<FilterResult> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    /** Configures a {@link FilterHarness}. */
    public static final class Builder {
        private final byte[] wasm;
        private String name = "filter";
        private String rootId;
        private final PluginConfig.Builder config =
                PluginConfig.builder("test-tenant", "filter").logLevel(LogLevel.TRACE);
        private final ScriptedUpstreams upstreams = new ScriptedUpstreams();
        private Duration resumeTimeout = Duration.ofSeconds(5);

        private Builder(byte[] wasm) {
            this.wasm = wasm.clone();
        }

        /**
         * The plugin's name ({@code plugin_name}); also its root id unless {@link #rootId} says
         * otherwise.
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder rootId(String rootId) {
            this.rootId = rootId;
            return this;
        }

        public Builder configuration(String configuration) {
            config.configuration(configuration);
            return this;
        }

        public Builder configuration(byte[] configuration) {
            config.configuration(configuration);
            return this;
        }

        public Builder vmConfiguration(String configuration) {
            config.vmConfiguration(configuration.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Builder failurePolicy(FailurePolicy policy) {
            config.failurePolicy(policy);
            return this;
        }

        public Builder callDeadline(Duration deadline) {
            config.callDeadline(deadline);
            return this;
        }

        public Builder maxMemoryPages(int pages) {
            config.maxMemoryPages(pages);
            return this;
        }

        public Builder logLevel(LogLevel level) {
            config.logLevel(level);
            return this;
        }

        /**
         * The most body bytes the host buffers for the filter, per direction (the tenant's {@code
         * maxRequestBodyBytes} and {@code maxResponseBodyBytes} in the proxy); 1 MiB each by
         * default.
         */
        public Builder bodyBufferLimits(int requestBytes, int responseBytes) {
            config.bodyBufferLimit(requestBytes).responseBodyBufferLimit(responseBytes);
            return this;
        }

        public Builder environment(Map<String, String> env) {
            config.environment(env);
            return this;
        }

        /**
         * Answers {@code proxy_http_call}s to {@code upstream}; return null from {@code answer} to
         * fail the call.
         */
        public Builder httpUpstream(
                String upstream, Function<HttpCallRequest, HttpCallResponse> answer) {
            upstreams.add(upstream, answer);
            return this;
        }

        public Builder resumeTimeout(Duration timeout) {
            resumeTimeout = timeout;
            return this;
        }

        /**
         * Starts the filter: instantiates it and runs {@code on_vm_start} and {@code on_configure}.
         *
         * @throws io.wasmesh.wasm.proxywasm.PluginRejectedException when it refuses its
         *     configuration
         * @throws io.wasmesh.wasm.engine.ModuleRejectedException when the bytes are not a usable
         *     module
         */
        PluginConfig pluginConfig() {
            PluginConfig c = config.build();
            return new PluginConfig(
                    c.tenant(),
                    name,
                    rootId == null ? name : rootId,
                    c.vmId(),
                    c.configuration(),
                    c.vmConfiguration(),
                    c.failurePolicy(),
                    c.limits(),
                    c.logLevel(),
                    c.environment(),
                    c.vmCount(),
                    c.bodyBufferLimit(),
                    c.responseBodyBufferLimit());
        }

        public FilterHarness build() {
            return new FilterHarness(this);
        }
    }
}

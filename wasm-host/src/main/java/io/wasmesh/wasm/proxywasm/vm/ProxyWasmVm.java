package io.wasmesh.wasm.proxywasm.vm;

import io.wasmesh.wasm.engine.GuestCall;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.exec.GuestCallGuard;
import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.PluginRejectedException;
import io.wasmesh.wasm.proxywasm.abi.AbiVersion;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.abi.StreamType;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.memory.GuestMemory;
import io.wasmesh.wasm.proxywasm.spi.HttpCallRequest;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import io.wasmesh.wasm.proxywasm.tenant.SharedQueues;
import io.wasmesh.wasm.proxywasm.tenant.TenantState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.endive.runtime.Instance;
import run.endive.wasi.WasiPreview1;

/**
 * One proxy-wasm VM: one Endive instance of a plugin's module, its root context and the stream
 * contexts it serves.
 *
 * <p>Every method runs on the VM's {@link io.wasmesh.wasm.exec.Lane}, one at a time; nothing here
 * is synchronized because nothing here is shared. Guest calls never nest, except for the guest's
 * allocator called from a host function: whatever a host function asks for that would call the
 * guest again (a resumed stream, an answered HTTP call) is deferred until the current guest call
 * returns, as Envoy does.
 *
 * <p>Once a guest call fails the VM is {@link #failed()} for good; its owner discards it.
 */
public final class ProxyWasmVm {
    private static final int HEADERS_CONTINUE_AND_END_STREAM = 2;

    private final VmEnvironment env;
    private final PluginConfig config;
    private final AbiVersion abi;
    private final WasiPreview1 wasi;
    private final Instance instance;
    private final GuestCallbacks callbacks;
    private final GuestMemory memory;
    private final int rootContextId;
    private final Map<Integer, StreamState> streams = new HashMap<>();
    private final List<Runnable> afterGuestCall = new ArrayList<>();
    private final SharedQueues.Consumer queueConsumer = this::queueReady;
    private final List<String> linkWarnings;

    private int nextContextId = 1;
    private int effectiveContextId;
    // The stream of the effective context as last looked up: one callback's host calls ask for it
    // again and again (a map lookup and a boxed key each, 3.5 % of the core with five filters).
    // Context ids are never reused, so an entry can only go stale by its stream's removal.
    private StreamState lastEffective;
    private boolean inGuest;
    private long callDeadline;
    private long budgetOfNextCall = Long.MAX_VALUE; // a stream's own callback: its tenant's budget
    private GuestFailure failure;
    private boolean closed;
    private StringBuilder refusalLog;

    private int nextHttpCallToken = 1;
    private final Map<Integer, Integer> httpCallOwners = new HashMap<>();
    private HttpCallResponse currentHttpCallResponse;
    private int statusCode;
    private String statusMessage = "";

    private AutoCloseable tickTimer;
    private boolean tickQueued;
    private boolean rootDonePending;

    private ProxyWasmVm(VmEnvironment env, AbiVersion abi) {
        this.env = env;
        this.config = env.config();
        this.abi = abi;
        this.wasi = io.wasmesh.wasm.proxywasm.hostcalls.WasiCalls.newWasi(this);
        HostLinker.Linked linked = HostLinker.link(env.module(), this, wasi);
        this.linkWarnings = linked.warnings();
        this.callDeadline = newDeadline();
        this.instance =
                runGuarded(() -> env.module().instantiate(linked.functions(), config.limits()));
        this.callbacks = new GuestCallbacks(env.module(), instance);
        this.memory =
                new GuestMemory(
                        instance,
                        callbacks.allocate == null ? null : callbacks.allocate.function,
                        () -> callDeadline);
        this.rootContextId = nextContextId++;
    }

    /**
     * Builds and starts a VM: instantiate, run the module's initializer, create the root context,
     * then {@code on_vm_start} and {@code on_configure}. Runs on the VM's lane.
     *
     * @throws PluginRejectedException when the module is not a proxy-wasm module or refuses its
     *     configuration
     * @throws GuestFailure when the guest fails while starting
     */
    public static ProxyWasmVm start(VmEnvironment env) {
        AbiVersion abi = AbiVersion.detect(env.module().exportNames());
        if (abi == null) {
            throw new PluginRejectedException(
                    "module "
                            + env.module().digest().shortHex()
                            + " exports no proxy-wasm ABI marker (proxy_abi_version_0_2_1, _0_2_0 or _0_1_0)");
        }
        ProxyWasmVm vm = new ProxyWasmVm(env, abi);
        try {
            vm.boot();
        } catch (RuntimeException e) {
            vm.close();
            throw e;
        }
        return vm;
    }

    private void boot() {
        for (String warning : linkWarnings) {
            log(LogLevel.WARN, warning);
        }
        refusalLog = new StringBuilder();
        if (callbacks.initialize != null) {
            call(callbacks.initialize);
            if (callbacks.main != null) {
                call(callbacks.main, 0, 0);
            }
        } else if (callbacks.start != null) {
            call(callbacks.start);
        }
        effectiveContextId = rootContextId;
        call(callbacks.onContextCreate, rootContextId, 0);
        if (callbacks.onVmStart != null
                && call(callbacks.onVmStart, rootContextId, config.vmConfigurationSize()) == 0) {
            throw new PluginRejectedException(refusal("on_vm_start"));
        }
        if (callbacks.onConfigure != null
                && call(callbacks.onConfigure, rootContextId, config.configurationSize()) == 0) {
            throw new PluginRejectedException(refusal("on_configure"));
        }
        refusalLog = null;
    }

    private String refusal(String callback) {
        String reason = refusalLog.length() == 0 ? "" : ": " + refusalLog.toString().strip();
        return "plugin "
                + config.name()
                + " of tenant "
                + config.tenant()
                + " rejected its configuration ("
                + callback
                + " returned false)"
                + reason;
    }

    // ---- stream callbacks (called by the plugin on this VM's lane) ----

    public FilterResult onRequestHeaders(StreamState s, HeaderMap headers, boolean endOfStream) {
        s.requestHeaders = headers;
        s.endOfStream[StreamState.REQUEST] = endOfStream;
        return headersCallback(
                s, callbacks.onRequestHeaders, StreamState.REQUEST, headers.size(), endOfStream);
    }

    public FilterResult onResponseHeaders(StreamState s, HeaderMap headers, boolean endOfStream) {
        s.responseHeaders = headers;
        s.endOfStream[StreamState.RESPONSE] = endOfStream;
        return headersCallback(
                s, callbacks.onResponseHeaders, StreamState.RESPONSE, headers.size(), endOfStream);
    }

    public FilterResult onRequestBody(StreamState s, byte[] chunk, boolean endOfStream) {
        s.requestBodyBytes += chunk.length;
        return bodyCallback(s, callbacks.onRequestBody, StreamState.REQUEST, chunk, endOfStream);
    }

    public FilterResult onResponseBody(StreamState s, byte[] chunk, boolean endOfStream) {
        s.responseBodyBytes += chunk.length;
        return bodyCallback(s, callbacks.onResponseBody, StreamState.RESPONSE, chunk, endOfStream);
    }

    public FilterResult onRequestTrailers(StreamState s, HeaderMap trailers) {
        s.requestTrailers = trailers;
        s.endOfStream[StreamState.REQUEST] = true;
        return streamCallback(
                s,
                callbacks.onRequestTrailers,
                StreamState.REQUEST,
                0,
                s.contextId,
                trailers.size());
    }

    public FilterResult onResponseTrailers(StreamState s, HeaderMap trailers) {
        s.responseTrailers = trailers;
        s.endOfStream[StreamState.RESPONSE] = true;
        return streamCallback(
                s,
                callbacks.onResponseTrailers,
                StreamState.RESPONSE,
                0,
                s.contextId,
                trailers.size());
    }

    /**
     * Ends the stream: {@code on_log}, {@code on_done}, {@code on_delete} (Envoy's observed order).
     */
    public void completeStream(StreamState s) {
        if (s.completed) {
            return;
        }
        s.completed = true;
        if (s.contextId == 0 || failure != null) {
            forget(s);
            return;
        }
        try {
            effectiveContextId = s.contextId;
            call(callbacks.onLog, s.contextId);
            call(callbacks.onDone, s.contextId);
            call(callbacks.onDelete, s.contextId);
        } finally {
            forget(s);
            if (!httpCallOwners.isEmpty()) { // Envoy cancels a context's calls
                httpCallOwners.values().removeIf(owner -> owner == s.contextId);
            }
        }
    }

    private void forget(StreamState s) {
        streams.remove(s.contextId);
        if (lastEffective == s) {
            lastEffective = null;
        }
    }

    private FilterResult headersCallback(
            StreamState s,
            GuestCallbacks.Callback cb,
            int direction,
            int count,
            boolean endOfStream) {
        return streamCallback(s, cb, direction, 0, s.contextId(), count, endOfStream ? 1 : 0);
    }

    private FilterResult bodyCallback(
            StreamState s,
            GuestCallbacks.Callback cb,
            int direction,
            byte[] chunk,
            boolean endOfStream) {
        s.body(direction).append(chunk);
        s.endOfStream[direction] = endOfStream;
        if (s.body(direction).length() > config.bodyBufferLimit(direction)) {
            // Envoy answers an over-full request buffer with 413, a response one with 500.
            return FilterResult.localReply(
                    direction == StreamState.REQUEST
                            ? LocalReply.of(
                                    413,
                                    "request_payload_too_large",
                                    "request body too large for filter")
                            : LocalReply.of(
                                    500,
                                    "response_payload_too_large",
                                    "response body too large for filter"));
        }
        FilterResult r =
                streamCallback(
                        s,
                        cb,
                        direction,
                        1,
                        s.contextId(),
                        s.body(direction).length(),
                        endOfStream ? 1 : 0);
        if (r.action() == FilterResult.Action.CONTINUE) {
            return FilterResult.continueWith(s.body(direction).drain());
        }
        return r;
    }

    /**
     * Calls one of a stream's own callbacks and turns its return value plus whatever the filter
     * asked for during the call into a {@link FilterResult}. {@code kind} 0 = headers/trailers, 1 =
     * body.
     */
    private FilterResult streamCallback(
            StreamState s, GuestCallbacks.Callback cb, int direction, int kind, long... args) {
        ensureContext(s);
        args[0] = s.contextId;
        if (cb == null) {
            return FilterResult.CONTINUE;
        }
        s.inOwnCallback = true;
        s.continueRequested[direction] = false;
        long action;
        try {
            effectiveContextId = s.contextId;
            budgetOfNextCall = s.info.wasmBudgetNanos();
            action = call(cb, args);
        } finally {
            s.inOwnCallback = false;
            budgetOfNextCall = Long.MAX_VALUE;
        }
        if (s.localReply != null) {
            LocalReply reply = s.localReply;
            s.localReply = null;
            return FilterResult.localReply(reply);
        }
        if (s.resetRequested) {
            return FilterResult.RESET;
        }
        boolean proceed =
                action == 0
                        || s.continueRequested[direction]
                        || (kind == 0 && action == HEADERS_CONTINUE_AND_END_STREAM);
        s.paused[direction] = !proceed;
        return proceed ? FilterResult.CONTINUE : FilterResult.STOP;
    }

    private void ensureContext(StreamState s) {
        if (s.contextId != 0) {
            return;
        }
        s.contextId = nextContextId++;
        streams.put(s.contextId, s);
        effectiveContextId = s.contextId;
        call(callbacks.onContextCreate, s.contextId, rootContextId);
    }

    // ---- root-context events ----

    void onTick() {
        tickQueued = false;
        if (failure != null || closed) {
            return;
        }
        effectiveContextId = rootContextId;
        call(callbacks.onTick, rootContextId);
    }

    private boolean queueReady(int queueId) {
        if (closed || failure != null) {
            return false;
        }
        env.lane()
                .execute(
                        () -> {
                            if (failure == null && !closed) {
                                effectiveContextId = rootContextId;
                                call(callbacks.onQueueReady, rootContextId, queueId);
                            }
                        });
        return true;
    }

    private void onHttpCallDone(int token, HttpCallResponse response, Throwable error) {
        Integer owner = httpCallOwners.remove(token);
        if (owner == null || failure != null || closed) {
            return; // the owning stream ended: Envoy cancels its calls, so the filter hears nothing
        }
        if (error != null || response == null) {
            statusCode = io.wasmesh.wasm.proxywasm.abi.WasmResult.BROKEN_CONNECTION;
            statusMessage =
                    error instanceof java.util.concurrent.TimeoutException ? "timeout" : "reset";
            currentHttpCallResponse = null;
        } else {
            statusCode = 0;
            statusMessage = "";
            currentHttpCallResponse = response;
        }
        HttpCallResponse r = currentHttpCallResponse;
        try {
            effectiveContextId = rootContextId;
            call(
                    callbacks.onHttpCallResponse,
                    rootContextId,
                    token,
                    r == null ? 0 : r.headers().size(),
                    r == null ? 0 : r.body().length,
                    r == null ? 0 : r.trailers().size());
        } finally {
            currentHttpCallResponse = null;
        }
    }

    // ---- calling the guest ----

    private long call(GuestCallbacks.Callback cb, long... args) {
        if (cb == null) {
            return 0;
        }
        if (failure != null) {
            throw failure;
        }
        long[] exact = args.length == cb.arity ? args : java.util.Arrays.copyOf(args, cb.arity);
        boolean outer = !inGuest;
        if (outer) {
            inGuest = true;
            callDeadline =
                    System.nanoTime()
                            + Math.min(config.limits().callDeadline().toNanos(), budgetOfNextCall);
        }
        try {
            long[] r = GuestCall.invoke(instance, cb.function, callDeadline, exact);
            return r == null || r.length == 0 ? 0 : r[0];
        } catch (GuestFailure e) {
            fail(e);
            throw e;
        } finally {
            if (outer) {
                inGuest = false;
                runAfterGuestCall();
            }
        }
    }

    private <T> T runGuarded(java.util.function.Supplier<T> work) {
        GuestCallGuard guard = GuestCallGuard.current();
        guard.enter(callDeadline);
        try {
            return work.get();
        } catch (run.endive.runtime.WasmInterruptedException e) {
            throw new GuestFailure(
                    GuestFailure.Kind.DEADLINE_EXCEEDED, "start section ran past its deadline", e);
        } catch (StackOverflowError e) {
            throw new GuestFailure(
                    GuestFailure.Kind.STACK_EXHAUSTED, "start section exhausted the stack", e);
        } catch (run.endive.wasm.WasmEngineException e) {
            throw new GuestFailure(
                    GuestFailure.Kind.TRAP, "start section trapped: " + e.getMessage(), e);
        } finally {
            guard.exit();
        }
    }

    private long newDeadline() {
        return System.nanoTime() + config.limits().callDeadline().toNanos();
    }

    private void fail(GuestFailure e) {
        if (failure != null) {
            return;
        }
        failure = e;
        log(LogLevel.ERROR, "VM failed (" + e.kind() + "): " + e.getMessage());
        stopTimersAndQueues();
        List<StreamState> held = new ArrayList<>();
        boolean inAStreamsCallback = false;
        for (StreamState s : streams.values()) {
            if (s.inOwnCallback) {
                inAStreamsCallback = true; // it learns of the failure from the call itself
            } else if (!s.completed) {
                held.add(s);
            }
        }
        if (env.onFailure() == null) {
            return;
        }
        if (!inAStreamsCallback) {
            env.onFailure().failedOutsideStreams(e);
        }
        if (!held.isEmpty()) {
            env.onFailure().vmFailed(this, e, held);
        }
    }

    private void runAfterGuestCall() {
        if (afterGuestCall.isEmpty()) {
            return;
        }
        List<Runnable> actions = new ArrayList<>(afterGuestCall);
        afterGuestCall.clear();
        for (Runnable action : actions) {
            action.run();
        }
    }

    // ---- what host functions use ----

    public GuestMemory memory() {
        return memory;
    }

    /** The size of the guest's linear memory now (0 if it has none). */
    public long memoryBytes() {
        var m = instance.memory();
        return m == null ? 0 : (long) m.pages() * 65536;
    }

    /** The guest's instance, for this package's conformance tests to call imports as a guest. */
    Instance instance() {
        return instance;
    }

    public AbiVersion abi() {
        return abi;
    }

    public PluginConfig config() {
        return config;
    }

    public TenantState tenant() {
        return env.tenant();
    }

    public int rootContextId() {
        return rootContextId;
    }

    public int effectiveContextId() {
        return effectiveContextId;
    }

    /** The stream of the effective context, or null when it is the root context. */
    public StreamState effectiveStream() {
        StreamState s = lastEffective;
        if (s != null && s.contextId == effectiveContextId) {
            return s;
        }
        s = streams.get(effectiveContextId);
        lastEffective = s;
        return s;
    }

    public boolean setEffectiveContext(int contextId) {
        if (contextId != rootContextId && !streams.containsKey(contextId)) {
            return false;
        }
        effectiveContextId = contextId;
        return true;
    }

    public HttpCallResponse currentHttpCallResponse() {
        return currentHttpCallResponse;
    }

    public int statusCode() {
        return statusCode;
    }

    public String statusMessage() {
        return statusMessage;
    }

    public void log(LogLevel level, String message) {
        if (refusalLog != null && level.compareTo(LogLevel.WARN) >= 0) {
            refusalLog.append(message).append('\n');
        }
        if (level.compareTo(config.logLevel()) >= 0) {
            env.logs().log(config, level, message);
        }
    }

    /**
     * Resumes a direction of the effective stream: now if inside its own callback, else after the
     * guest returns.
     */
    public boolean continueStream(StreamType type) {
        StreamState s = effectiveStream();
        if (s == null || (type != StreamType.HTTP_REQUEST && type != StreamType.HTTP_RESPONSE)) {
            return false;
        }
        int direction =
                type == StreamType.HTTP_REQUEST ? StreamState.REQUEST : StreamState.RESPONSE;
        if (s.inOwnCallback) {
            s.continueRequested[direction] = true;
        } else {
            afterGuestCall.add(
                    () -> {
                        if (s.paused[direction] && !s.completed) {
                            s.paused[direction] = false;
                            s.observer.onResume(type, s.body(direction).drain());
                        }
                    });
        }
        return true;
    }

    public boolean closeStream(StreamType type) {
        StreamState s = effectiveStream();
        if (s == null || type == null) {
            return false;
        }
        if (s.inOwnCallback) {
            s.resetRequested = true;
        } else {
            afterGuestCall.add(
                    () -> {
                        if (!s.completed) {
                            s.observer.onReset();
                        }
                    });
        }
        return true;
    }

    public boolean sendLocalResponse(LocalReply reply) {
        StreamState s = effectiveStream();
        if (s == null) {
            return false;
        }
        if (s.inOwnCallback) {
            s.localReply = reply;
        } else {
            afterGuestCall.add(
                    () -> {
                        if (!s.completed) {
                            s.observer.onLocalReply(reply);
                        }
                    });
        }
        return true;
    }

    /**
     * Starts an HTTP call for the effective context and returns its token (never 0). The answer
     * arrives on this VM's lane as {@code proxy_on_http_call_response} on the root context.
     *
     * @throws io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher.UnknownUpstreamException for an
     *     upstream the tenant may not call
     */
    public int httpCall(
            String upstream,
            HeaderMap headers,
            byte[] body,
            HeaderMap trailers,
            long timeoutMillis) {
        int token = nextHttpCallToken++;
        if (nextHttpCallToken <= 0) {
            nextHttpCallToken = 1;
        }
        var request =
                new HttpCallRequest(
                        config.tenant(),
                        config.name(),
                        upstream,
                        headers,
                        body,
                        trailers,
                        java.time.Duration.ofMillis(timeoutMillis));
        var stage = env.httpCalls().dispatch(request);
        httpCallOwners.put(token, effectiveContextId);
        stage.whenComplete(
                (response, error) ->
                        env.lane().execute(() -> onHttpCallDone(token, response, error)));
        return token;
    }

    /** Sets (or with 0, stops) this VM's tick timer. */
    public void setTickPeriod(long millis) {
        closeTickTimer();
        if (millis > 0) {
            tickTimer =
                    env.ticks()
                            .schedule(
                                    millis,
                                    () -> {
                                        // Coalesce: a slow on_tick must not pile up ticks behind
                                        // it.
                                        if (!tickQueued && failure == null && !closed) {
                                            tickQueued = true;
                                            env.lane().execute(this::onTick);
                                        }
                                    });
        }
    }

    public SharedQueues.Consumer queueConsumer() {
        return queueConsumer;
    }

    /**
     * {@code proxy_done}: the root context finished what it was doing when it refused to be done.
     */
    public boolean done() {
        if (!rootDonePending) {
            return false;
        }
        rootDonePending = false;
        return true;
    }

    public long remainingDeadlineNanos() {
        return callDeadline - System.nanoTime();
    }

    // ---- life ----

    public boolean failed() {
        return failure != null;
    }

    public GuestFailure failure() {
        return failure;
    }

    public int streamCount() {
        return streams.size();
    }

    /**
     * True when nothing depends on this VM staying alive: no stream, no tick timer, no {@code
     * http_call} in flight. An idle VM can be closed and rebuilt when next needed.
     */
    public boolean idle() {
        return streams.isEmpty() && tickTimer == null && httpCallOwners.isEmpty();
    }

    /** Streams this VM still serves; used to tell them about a failure. */
    public List<StreamState> liveStreams() {
        return new ArrayList<>(streams.values());
    }

    /**
     * Ends the VM: {@code on_done} and {@code on_delete} on the root context (when it is healthy),
     * timers stopped, queues released.
     */
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (failure == null && instance != null) {
                effectiveContextId = rootContextId;
                if (call(callbacks.onDone, rootContextId) == 0 && callbacks.onDone != null) {
                    rootDonePending =
                            true; // the filter will call proxy_done; we do not wait for it
                }
                call(callbacks.onDelete, rootContextId);
            }
        } catch (GuestFailure ignored) {
            // Closing a VM that fails while closing: nothing left to protect.
        } finally {
            closed = true;
            stopTimersAndQueues();
            wasi.close();
        }
    }

    private void stopTimersAndQueues() {
        closeTickTimer();
        env.tenant().queues().unregister(queueConsumer);
    }

    private void closeTickTimer() {
        if (tickTimer != null) {
            try {
                tickTimer.close();
            } catch (Exception ignored) {
                // A timer that fails to cancel only ticks into a closed VM, which ignores it.
            }
            tickTimer = null;
        }
    }
}

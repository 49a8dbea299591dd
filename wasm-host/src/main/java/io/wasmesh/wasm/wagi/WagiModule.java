package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.GuestCall;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.MemoryPool;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.proxywasm.tenant.SharedData;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;

/**
 * A WASI command served as WAGI: every request runs {@code _start} in a fresh instance (the
 * Spin/Fastly isolation model: nothing survives between requests), with the request as CGI
 * variables and stdin, and its stdout parsed as a CGI response. The guest gets no files and no host
 * environment (only the CGI variables and what the service config gives); clocks and random are
 * real. Runs on the calling thread, which must be a Wasm worker (for the deadline).
 */
public final class WagiModule {
    private final CompiledModule module;
    private final String name;
    private final Map<String, String> environment;
    private final InstanceLimits limits;
    private final int maxResponseBytes;
    private final Consumer<String> stderr;

    private final java.util.Set<Instance> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Memories of finished requests for the next ones: at most one per Wasm worker at once. */
    private final MemoryPool memories =
            new MemoryPool(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private final WasiCommandImports imports;

    /**
     * @param environment variables the service config gives, added to the CGI ones
     * @param stderr where the guest's stderr lines go (its log)
     * @param kv the tenant's key-value store ({@code wasmesh.kv_*} imports), or null for none
     * @throws ModuleRejectedException when the module is not a WASI command
     */
    public WagiModule(
            CompiledModule module,
            String name,
            Map<String, String> environment,
            InstanceLimits limits,
            int maxResponseBytes,
            Consumer<String> stderr,
            SharedData kv) {
        if (!isCommand(module)) {
            throw new ModuleRejectedException(
                    "module "
                            + module.digest().shortHex()
                            + " exports no _start: not a WASI command");
        }
        this.module = module;
        this.name = name;
        this.environment = Map.copyOf(environment);
        this.limits = limits;
        this.maxResponseBytes = maxResponseBytes;
        this.stderr = stderr;
        this.imports = new WasiCommandImports(module, kv);
        imports.warnings().forEach(stderr); // once, not per request
    }

    /** A WASI command exports {@code _start}. */
    public static boolean isCommand(CompiledModule module) {
        return module.exportsFunction("_start");
    }

    /**
     * Runs one request in a fresh instance.
     *
     * @throws WagiFailure when the module fails, overruns a limit or answers nonsense
     */
    public CgiResponse handle(CgiRequest request) {
        return handle(request, Long.MAX_VALUE);
    }

    /**
     * Runs one request in a fresh instance, stopping it when the tenant's Wasm time budget ({@code
     * budgetNanos} left) runs out before its deadline.
     *
     * @throws WagiFailure when the module fails, overruns a limit or answers nonsense
     */
    public CgiResponse handle(CgiRequest request, long budgetNanos) {
        BoundedOutput stdout = new BoundedOutput(maxResponseBytes);
        WasiPreview1 wasi = wasi(request, stdout);
        long deadlineNanos = limits.callDeadline().toNanos();
        boolean budgetFirst = budgetNanos < deadlineNanos;
        long deadline = System.nanoTime() + (budgetFirst ? budgetNanos : deadlineNanos);
        Instance instance = null;
        try {
            instance = instantiate(imports.link(wasi));
            live.add(instance);
            ExportFunction start = instance.export("_start");
            GuestCall.invoke(instance, start, deadline);
        } catch (GuestFailure e) {
            if (budgetFirst && e.kind() == GuestFailure.Kind.DEADLINE_EXCEEDED) {
                throw new WagiFailure(
                        WagiFailure.Kind.CPU_BUDGET,
                        name + ": the tenant's Wasm time budget ran out",
                        e);
            }
            if (!(e.getCause() instanceof WasiExitException)) {
                throw fromGuest(e);
            }
            int code = ((WasiExitException) e.getCause()).exitCode();
            if (code != 0) {
                throw new WagiFailure(
                        WagiFailure.Kind.EXIT_CODE, name + " exited with code " + code, e);
            }
        } catch (ModuleRejectedException e) {
            throw new WagiFailure(WagiFailure.Kind.TRAP, e.getMessage(), e);
        } finally {
            if (instance != null) {
                live.remove(instance);
                memories.give(instance.memory()); // this instance never runs again
            }
            wasi.close();
        }
        if (stdout.overflowed()) {
            throw new WagiFailure(
                    WagiFailure.Kind.RESPONSE_TOO_LARGE,
                    name + " wrote more than " + maxResponseBytes + " bytes",
                    null);
        }
        try {
            return CgiOutput.parse(stdout.toByteArray());
        } catch (IllegalArgumentException e) {
            throw new WagiFailure(WagiFailure.Kind.BAD_RESPONSE, name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lets the memories kept for the next requests go if no request came for {@code idleFor};
     * returns how many.
     */
    public int releaseIdleMemory(java.time.Duration idleFor) {
        return memories.releaseIfIdle(idleFor);
    }

    /** Memories kept for the next requests (tests). */
    int keptMemories() {
        return memories.size();
    }

    /** Instances running a request now (a gauge reads them from another thread). */
    public int liveInstances() {
        return live.size();
    }

    /** The linear memory of the instances running now. */
    public long liveMemoryBytes() {
        long bytes = 0;
        for (Instance i : live) {
            var m = i.memory();
            bytes += m == null ? 0 : (long) m.pages() * 65536;
        }
        return bytes;
    }

    private Instance instantiate(List<run.endive.runtime.ImportFunction> functions) {
        try {
            return module.instantiate(functions, limits, memories);
        } catch (run.endive.runtime.WasmInterruptedException e) {
            throw new WagiFailure(
                    WagiFailure.Kind.DEADLINE_EXCEEDED, name + ": start section timed out", e);
        } catch (run.endive.wasm.WasmEngineException e) {
            throw new WagiFailure(
                    WagiFailure.Kind.TRAP, name + ": start section trapped: " + e.getMessage(), e);
        }
    }

    private WasiPreview1 wasi(CgiRequest request, OutputStream stdout) {
        WasiOptions.Builder options =
                WasiOptions.builder()
                        .withStdin(new ByteArrayInputStream(request.body()))
                        .withStdout(stdout)
                        .withStderr(new LineStream(stderr))
                        .withArguments(List.of(name));
        CgiVariables.of(request).forEach(options::withEnvironment);
        environment.forEach(options::withEnvironment);
        return WasiPreview1.builder().withOptions(options.build()).build();
    }

    private WagiFailure fromGuest(GuestFailure e) {
        WagiFailure.Kind kind;
        switch (e.kind()) {
            case DEADLINE_EXCEEDED:
                kind = WagiFailure.Kind.DEADLINE_EXCEEDED;
                break;
            case MEMORY_LIMIT:
                kind = WagiFailure.Kind.MEMORY_LIMIT;
                break;
            case STACK_EXHAUSTED:
                kind = WagiFailure.Kind.STACK_EXHAUSTED;
                break;
            case HOST_ERROR:
                kind = WagiFailure.Kind.HOST_ERROR;
                break;
            default:
                kind = WagiFailure.Kind.TRAP;
        }
        return new WagiFailure(kind, name + ": " + e.getMessage(), e);
    }
}

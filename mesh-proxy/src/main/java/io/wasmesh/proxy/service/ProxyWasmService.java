package io.wasmesh.proxy.service;

import io.wasmesh.proxy.filter.ChainVerdict;
import io.wasmesh.proxy.filter.FilterChain;
import io.wasmesh.proxy.filter.FilterChainFactory;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A proxy-wasm module that answers requests itself with {@code proxy_send_local_response}. Its VMs
 * live on between requests (one per tenant lane), so it may keep state and answer after an
 * asynchronous {@code proxy_http_call}. A module that lets the request through instead of answering
 * gets 502.
 */
public final class ProxyWasmService implements WasmService {
    private final String name;
    private final ProxyWasmPlugin plugin;
    private final FilterChainFactory chains;
    private final BiConsumer<String, String> failures;
    private final Admission admission;
    private final CpuBudget budget; // null: none
    private final long callDeadlineNanos;

    public ProxyWasmService(
            String name,
            ProxyWasmPlugin plugin,
            List<Lane> lanes,
            int maxConcurrent,
            CpuBudget budget,
            BiConsumer<String, String> failures) {
        this.name = name;
        this.plugin = plugin;
        this.chains = new FilterChainFactory(List.of(plugin), lanes);
        this.failures = failures;
        this.admission = new Admission(name, maxConcurrent, budget, failures);
        this.budget = budget;
        this.callDeadlineNanos = plugin.config().limits().callDeadline().toNanos();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<ServiceResponse> handle(ServiceRequest request) {
        return admission.admit(() -> answer(request));
    }

    private CompletableFuture<ServiceResponse> answer(ServiceRequest request) {
        // A call may use what is left of the tenant's budget, and no more.
        long left = budget == null ? Long.MAX_VALUE : budget.remainingNanos();
        boolean budgetFirst = left < callDeadlineNanos;
        StreamInfo info = request.info();
        StreamInfo budgeted =
                !budgetFirst
                        ? info
                        : new StreamInfo() {
                            @Override
                            public Object property(List<String> path) {
                                return info.property(path);
                            }

                            @Override
                            public long wasmBudgetNanos() {
                                return left;
                            }
                        };
        long budgetEnds = budgetFirst ? System.nanoTime() + left : Long.MAX_VALUE;
        FilterChain chain = chains.newChain(budgeted, FilterChain.AsyncListener.IGNORE);
        boolean hasBody = request.body().length > 0;
        return chain.onRequestHeaders(request.headers(), !hasBody)
                .thenCompose(
                        v ->
                                v.kind() == ChainVerdict.Kind.CONTINUE && hasBody
                                        ? chain.onRequestBody(request.body(), true)
                                        : CompletableFuture.completedFuture(v))
                .thenApply(v -> answer(v, budgetEnds))
                .exceptionally(
                        e -> {
                            failures.accept(name, "wasm_host_error");
                            return ServiceResponse.failure(
                                    500, "wasm_host_error", String.valueOf(e));
                        })
                .whenComplete((r, e) -> chain.complete());
    }

    /** {@code budgetEnds}: when the tenant's budget cut the call short, or MAX_VALUE. */
    private ServiceResponse answer(ChainVerdict v, long budgetEnds) {
        switch (v.kind()) {
            case LOCAL_REPLY:
                LocalReply reply = v.reply();
                if (reply.status() == 503 && "wasm_plugin_failed".equals(reply.details())) {
                    if (budgetEnds != Long.MAX_VALUE && System.nanoTime() - budgetEnds >= 0) {
                        // It failed once its budget was up: the budget's deadline stopped it (a
                        // call queued on its lane starts later, so its cut comes later still).
                        failures.accept(name, "wasm_cpu_budget");
                        return ServiceResponse.failure(
                                503,
                                "wasm_cpu_budget",
                                "the tenant's Wasm time budget ran out during " + name);
                    }
                    failures.accept(name, "wasm_failed");
                    return ServiceResponse.failure(503, "wasm_failed", name + " failed");
                }
                return new ServiceResponse(reply.status(), reply.headers(), reply.body());
            case RESET:
                failures.accept(name, "wasm_reset");
                return ServiceResponse.failure(502, "wasm_reset", name + " closed the stream");
            default:
                failures.accept(name, "wasm_no_answer");
                return ServiceResponse.failure(
                        502, "wasm_no_answer", name + " did not answer the request");
        }
    }

    @Override
    public CompletableFuture<Integer> releaseIdle(java.time.Duration idleFor) {
        return plugin.releaseIdle(idleFor);
    }

    @Override
    public void close() {
        plugin.closeAsync();
    }
}

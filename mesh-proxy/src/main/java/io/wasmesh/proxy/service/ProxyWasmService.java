package io.wasmesh.proxy.service;

import io.wasmesh.proxy.filter.ChainVerdict;
import io.wasmesh.proxy.filter.FilterChain;
import io.wasmesh.proxy.filter.FilterChainFactory;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
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
        FilterChain chain = chains.newChain(request.info(), FilterChain.AsyncListener.IGNORE);
        boolean hasBody = request.body().length > 0;
        return chain.onRequestHeaders(request.headers(), !hasBody)
                .thenCompose(
                        v ->
                                v.kind() == ChainVerdict.Kind.CONTINUE && hasBody
                                        ? chain.onRequestBody(request.body(), true)
                                        : CompletableFuture.completedFuture(v))
                .thenApply(this::answer)
                .exceptionally(
                        e -> {
                            failures.accept(name, "wasm_host_error");
                            return ServiceResponse.failure(
                                    500, "wasm_host_error", String.valueOf(e));
                        })
                .whenComplete((r, e) -> chain.complete());
    }

    private ServiceResponse answer(ChainVerdict v) {
        switch (v.kind()) {
            case LOCAL_REPLY:
                LocalReply reply = v.reply();
                if (reply.status() == 503 && "wasm_plugin_failed".equals(reply.details())) {
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

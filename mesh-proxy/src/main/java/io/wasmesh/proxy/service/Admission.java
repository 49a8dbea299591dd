package io.wasmesh.proxy.service;

import java.util.function.BiConsumer;

/**
 * Whether a service takes one more request: refused at once (503, counted) while the tenant's Wasm
 * time budget is overdrawn or the service already serves its most concurrent requests.
 */
final class Admission {
    private final String service;
    private final ConcurrencyLimit limit;
    private final CpuBudget budget; // null: no budget
    private final BiConsumer<String, String> failures; // (service, reason) -> counted

    Admission(
            String service,
            int maxConcurrent,
            CpuBudget budget,
            BiConsumer<String, String> failures) {
        this.service = service;
        this.limit = new ConcurrencyLimit(maxConcurrent);
        this.budget = budget;
        this.failures = failures;
    }

    /** Null when admitted (then {@link #release()} once done), else the refusal to send. */
    ServiceResponse tryAdmit() {
        if (budget != null && !budget.allows()) {
            failures.accept(service, "wasm_cpu_budget");
            return ServiceResponse.failure(
                    503, "wasm_cpu_budget", "the tenant's Wasm time budget is spent");
        }
        if (!limit.tryAcquire()) {
            failures.accept(service, "wasm_concurrency_limit");
            return ServiceResponse.failure(
                    503,
                    "wasm_concurrency_limit",
                    service + " already serves " + limit.max() + " requests");
        }
        return null;
    }

    void release() {
        limit.release();
    }
}

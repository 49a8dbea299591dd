package io.wasmesh.proxy.service;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Whether a service takes one more request. Past its concurrency limit: 503 at once. While the
 * tenant's Wasm time budget is overdrawn: the request is <em>held</em> until the budget refills, at
 * most {@link #MAX_HOLD}, then runs or gets 503. Holding rather than refusing at once matters for
 * the neighbours: nearly every client waits for an answer before it sends the next request, so a
 * held client slows to the budget's pace, while a client refused in microseconds comes straight
 * back, and its storm of refusals costs the proxy as much HTTP work as answering would. At most as
 * many requests as the concurrency limit are held; more are refused at once.
 */
final class Admission {
    /** The longest an over-budget request waits for its tenant's budget. */
    static final Duration MAX_HOLD = Duration.ofSeconds(1);

    private final String service;
    private final ConcurrencyLimit limit;
    private final CpuBudget budget; // null: no budget
    private final BiConsumer<String, String> failures; // (service, reason) -> counted
    private final AtomicInteger held = new AtomicInteger();

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

    /**
     * Runs {@code work} once the request is admitted and frees its place when the answer is
     * complete, or answers the refusal.
     */
    CompletableFuture<ServiceResponse> admit(Supplier<CompletableFuture<ServiceResponse>> work) {
        if (budget == null || budget.allows()) {
            return runIfRoom(work);
        }
        if (held.incrementAndGet() > limit.max()) {
            held.decrementAndGet();
            return CompletableFuture.completedFuture(budgetSpent());
        }
        long waitNanos = Math.min(budget.nanosUntilAllowed(), MAX_HOLD.toNanos());
        return after(waitNanos)
                .thenCompose(
                        v -> {
                            held.decrementAndGet();
                            return budget.allows()
                                    ? runIfRoom(work)
                                    : CompletableFuture.completedFuture(budgetSpent());
                        });
    }

    /** Requests waiting for their tenant's budget now. */
    int held() {
        return held.get();
    }

    private CompletableFuture<ServiceResponse> runIfRoom(
            Supplier<CompletableFuture<ServiceResponse>> work) {
        if (!limit.tryAcquire()) {
            failures.accept(service, "wasm_concurrency_limit");
            return CompletableFuture.completedFuture(
                    ServiceResponse.failure(
                            503,
                            "wasm_concurrency_limit",
                            service + " already serves " + limit.max() + " requests"));
        }
        CompletableFuture<ServiceResponse> answer;
        try {
            answer = work.get();
        } catch (RuntimeException e) {
            limit.release();
            throw e;
        }
        return answer.whenComplete((r, e) -> limit.release());
    }

    private ServiceResponse budgetSpent() {
        failures.accept(service, "wasm_cpu_budget");
        return ServiceResponse.failure(
                503, "wasm_cpu_budget", "the tenant's Wasm time budget is spent");
    }

    /**
     * Completes after the delay, on the caller's Vert.x context when there is one (what runs next
     * may touch the request's state), else on a JDK timer thread.
     */
    private static CompletableFuture<Void> after(long nanos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Context context = Vertx.currentContext();
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000); // never early
        if (context != null) {
            context.owner().setTimer(millis, id -> done.complete(null));
        } else {
            CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)
                    .execute(() -> done.complete(null));
        }
        return done;
    }
}

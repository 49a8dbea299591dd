package io.wasmesh.proxy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Admission against a tenant budget whose Wasm busy time the test sets: an over-budget request is
 * held until the budget refills, then runs; one that would need longer than the hold is refused
 * after it; held requests are bounded.
 */
class AdmissionTest {
    static final ServiceResponse OK = new ServiceResponse(200, HeaderMap.of(), new byte[0]);

    static final WasmScheduler SCHEDULER =
            new WasmScheduler(WasmScheduler.Config.defaults().withWorkers(1));

    final AtomicLong busyNanos = new AtomicLong();
    final CpuBudget budget =
            new CpuBudget(busyNanos::get, Duration.ofSeconds(1), SCHEDULER.tier("tenant"));
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger ran = new AtomicInteger();

    Admission admission(int maxConcurrent) {
        return new Admission("svc", maxConcurrent, budget, (s, reason) -> failures.add(reason));
    }

    CompletableFuture<ServiceResponse> work() {
        ran.incrementAndGet();
        return CompletableFuture.completedFuture(OK);
    }

    @Test
    void withinBudgetTheWorkRunsAtOnce() {
        CompletableFuture<ServiceResponse> answer = admission(4).admit(this::work);

        assertThat(answer).isCompletedWithValue(OK);
        assertThat(ran).hasValue(1);
    }

    @Test
    void anOverdrawnBudgetHoldsTheRequestUntilItRefillsThenRunsIt() {
        Admission admission = admission(4);
        busyNanos.set(Duration.ofMillis(1_050).toNanos()); // 50 ms overdrawn: 50 ms to refill

        CompletableFuture<ServiceResponse> answer = admission.admit(this::work);

        assertThat(admission.held()).isEqualTo(1);
        assertThat(ran).hasValue(0);
        assertThat(answer.join()).isSameAs(OK);
        assertThat(ran).hasValue(1);
        assertThat(admission.held()).isZero();
        assertThat(failures).isEmpty();
    }

    @Test
    void aBudgetOverdrawnForLongerThanTheHoldIsRefusedAfterIt() {
        Admission admission = admission(4);
        busyNanos.set(Duration.ofSeconds(5).toNanos()); // 4 s to refill: more than MAX_HOLD

        ServiceResponse refused = admission.admit(this::work).join();

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().get("x-wasmesh-service-error")).isEqualTo("wasm_cpu_budget");
        assertThat(ran).hasValue(0);
        assertThat(failures).containsExactly("wasm_cpu_budget");
    }

    @Test
    void noMoreRequestsAreHeldThanTheServiceMayRun() {
        Admission admission = admission(1);
        busyNanos.set(Duration.ofSeconds(5).toNanos());

        CompletableFuture<ServiceResponse> first = admission.admit(this::work);
        CompletableFuture<ServiceResponse> second = admission.admit(this::work);

        assertThat(second).isDone();
        assertThat(second.join().status()).isEqualTo(503);
        assertThat(first).isNotDone();
        assertThat(first.join().status()).isEqualTo(503);
        assertThat(ran).hasValue(0);
    }

    @Test
    void pastItsConcurrencyLimitAServiceRefusesAtOnceAndFreesThePlaceWhenDone() {
        Admission admission = admission(1);
        CompletableFuture<ServiceResponse> slow = new CompletableFuture<>();

        admission.admit(() -> slow);
        ServiceResponse refused = admission.admit(this::work).join();
        slow.complete(OK);

        assertThat(refused.headers().get("x-wasmesh-service-error"))
                .isEqualTo("wasm_concurrency_limit");
        assertThat(admission.admit(this::work)).isCompletedWithValue(OK);
    }
}

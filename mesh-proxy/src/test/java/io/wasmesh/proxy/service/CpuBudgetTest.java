package io.wasmesh.proxy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.wasm.exec.WasmScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The budget against clocks the test moves: busy time is charged, wall time refills, and the tenant
 * goes to the scheduler's background tier once it has spent half, back when 90 % refilled.
 */
class CpuBudgetTest {
    final WasmScheduler scheduler =
            new WasmScheduler(WasmScheduler.Config.defaults().withWorkers(1));
    final WasmScheduler.Tier tier = scheduler.tier("noisy");
    final AtomicLong busy = new AtomicLong();
    final AtomicLong wall = new AtomicLong(1_000_000_000L);
    final CpuBudget budget =
            new CpuBudget(busy::get, Duration.ofMillis(100), tier, wall::get); // 100 ms/s

    @AfterEach
    void close() {
        scheduler.close();
    }

    void run(long millis) {
        busy.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    void pass(long millis) {
        wall.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void aTenantSpendingLessThanHalfStaysInTheForeground() {
        run(40);
        assertThat(budget.allows()).isTrue(); // 60 ms left
        pass(100); // + 10 ms
        run(20);

        assertThat(budget.allows()).isTrue();
        assertThat(budget.remainingNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(tier.background()).isFalse();
    }

    @Test
    void aTenantThatSpentHalfGoesToTheBackgroundWhileItStillMayRun() {
        run(60);

        assertThat(budget.allows()).isTrue();
        assertThat(tier.background()).isTrue();
    }

    @Test
    void anOverdrawnTenantIsInTheBackgroundAndWaitsForTheRefill() {
        run(150); // 50 ms over: half a second of refill at 100 ms/s

        assertThat(budget.allows()).isFalse();
        assertThat(tier.background()).isTrue();
        assertThat(budget.nanosUntilAllowed()).isEqualTo(Duration.ofMillis(500).toNanos() + 10);
    }

    @Test
    void aTenantThatKeepsSpendingItsRefillStaysInTheBackground() {
        run(150);
        budget.allows();
        for (int i = 0; i < 20; i++) {
            pass(600); // refilled to 10 ms ...
            assertThat(budget.allows()).isTrue();
            run(60); // ... and spent again, as a runaway guest does up to its deadline
            assertThat(budget.allows()).isFalse();
            assertThat(tier.background()).isTrue();
        }
    }

    @Test
    void aTenantBackWithinItsBudgetReturnsToTheForegroundOnce90PercentRefilled() {
        run(150);
        budget.allows();
        assertThat(tier.background()).isTrue();

        pass(1_300); // 80 ms: allowed, and more than half, but not yet 90 %
        assertThat(budget.allows()).isTrue();
        assertThat(tier.background()).isTrue();

        pass(100); // 90 ms
        assertThat(budget.allows()).isTrue();
        assertThat(tier.background()).isFalse();
    }
}

package io.wasmesh.wasm.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's tiers: a tenant in the background runs only on the background workers (lowest
 * priority), never on a foreground worker even when one is idle; the others are served while the
 * background is busy; a tenant brought back runs its queued work in the foreground again.
 */
class WasmSchedulerTest {
    final WasmScheduler scheduler =
            new WasmScheduler(WasmScheduler.Config.defaults().withWorkers(2));
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        scheduler.close();
    }

    static CompletableFuture<Thread> runningThread(Lane lane) {
        return lane.submit(Thread::currentThread);
    }

    /** Occupies {@code lane}'s worker until the test releases it; completes once it runs. */
    CompletableFuture<Thread> block(Lane lane) {
        CompletableFuture<Thread> started = new CompletableFuture<>();
        lane.execute(
                () -> {
                    started.complete(Thread.currentThread());
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        return started;
    }

    @Test
    void aTenantInTheForegroundRunsOnTheForegroundWorkers() {
        Thread t = runningThread(scheduler.newLane("quiet")).join();

        assertThat(t.getName()).startsWith("wasm-worker-");
        assertThat(t.getPriority()).isEqualTo(Thread.NORM_PRIORITY);
        assertThat(scheduler.tier("quiet").background()).isFalse();
    }

    @Test
    void aTenantInTheBackgroundRunsOnlyOnTheLowestPriorityWorkers() {
        scheduler.tier("noisy").background(true);

        Thread t = runningThread(scheduler.newLane("noisy")).join();

        assertThat(t.getName()).startsWith("wasm-background-");
        assertThat(t.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
    }

    @Test
    void othersAreServedWhileTheBackgroundIsBusyAndTheBackgroundWaitsForItsOwnWorker()
            throws Exception {
        scheduler.tier("noisy").background(true);
        Lane runaway = scheduler.newLane("noisy");
        Lane second = scheduler.newLane("noisy");
        assertThat(block(runaway).get(10, TimeUnit.SECONDS).getName())
                .startsWith("wasm-background-");
        CompletableFuture<Thread> waiting = runningThread(second);

        // Two foreground workers are idle all along, and serve the quiet tenant many times over.
        List<CompletableFuture<Thread>> quiet = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            quiet.add(runningThread(scheduler.newLane("quiet")));
        }
        for (CompletableFuture<Thread> f : quiet) {
            assertThat(f.get(10, TimeUnit.SECONDS).getName()).startsWith("wasm-worker-");
        }
        assertThat(waiting).isNotDone();

        release.countDown();
        assertThat(waiting.get(10, TimeUnit.SECONDS).getName()).startsWith("wasm-background-");
    }

    @Test
    void aTenantBroughtBackRunsItsQueuedWorkInTheForeground() throws Exception {
        WasmScheduler.Tier tier = scheduler.tier("noisy");
        tier.background(true);
        block(scheduler.newLane("noisy")).get(10, TimeUnit.SECONDS);
        CompletableFuture<Thread> queued = runningThread(scheduler.newLane("noisy"));

        tier.background(false);

        // the background worker is still blocked: only a foreground worker can run it
        assertThat(queued.get(10, TimeUnit.SECONDS).getName()).startsWith("wasm-worker-");
    }

    @Test
    void withoutBackgroundWorkersATenantStaysInTheForeground() {
        try (WasmScheduler none =
                new WasmScheduler(
                        WasmScheduler.Config.defaults().withWorkers(1).withBackgroundWorkers(0))) {
            none.tier("noisy").background(true);

            assertThat(none.tier("noisy").background()).isFalse();
            assertThat(runningThread(none.newLane("noisy")).join().getName())
                    .startsWith("wasm-worker-");
        }
    }

    @Test
    void onLinuxTheBackgroundWorkersRunInTheIdleClassAtNice19() throws Exception {
        WasmScheduler.BackgroundScheduling how =
                scheduler.backgroundScheduling().get(10, TimeUnit.SECONDS);
        assumeTrue(OsThreadScheduling.policy().isPresent(), "no /proc/thread-self here");
        assumeTrue(new java.io.File("/usr/bin/chrt").canExecute(), "util-linux's chrt is missing");

        assertThat(how.idleClass()).isTrue();
        // The build's test JVMs map priorities as bin/wasmesh does:
        // -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19.
        assertThat(how.nice()).hasValue(19);
        // and the rest of the process is left as it was
        assertThat(OsThreadScheduling.policy()).hasValue(0);
        assertThat(OsThreadScheduling.nice()).hasValue(0);
    }
}

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
 * background is busy; a tenant brought back runs its queued work in the foreground again. And long
 * calls: a guest call that runs long on a foreground worker is lowered and its worker replaced,
 * while a task of many short calls keeps its worker.
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

    /**
     * A guest call that runs until the test lets it go (or its deadline, 10 s, passes): the
     * watchdog sees it in the guest as it would see a Wasm function.
     */
    static void guestCall(CountDownLatch until) {
        GuestCallGuard guard = GuestCallGuard.current();
        guard.enter(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        try {
            while (until.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
        } finally {
            guard.exit();
        }
    }

    static boolean prioritiesReachTheOs() {
        return OsThreadScheduling.nice().isPresent()
                && java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getInputArguments()
                        .contains("-XX:ThreadPriorityPolicy=1");
    }

    /**
     * One foreground worker, held by a runaway call of one tenant: without demotion the other
     * tenant's work would wait for the call's deadline (and the call waits for that work here).
     * Lowered after 2 ms, the runaway's worker is replaced, and the replacement serves the other.
     */
    @Test
    void aLongCallIsLoweredAndAFreshWorkerServesTheOthers() throws Exception {
        assumeTrue(prioritiesReachTheOs(), "thread priorities do not reach the OS here");
        try (WasmScheduler one =
                new WasmScheduler(
                        WasmScheduler.Config.defaults()
                                .withWorkers(1)
                                .withDemoteAfterNanos(TimeUnit.MILLISECONDS.toNanos(2)))) {
            CountDownLatch otherServed = new CountDownLatch(1);
            CompletableFuture<Thread> runaway = new CompletableFuture<>();
            CompletableFuture<Boolean> endedBeforeTheOther = new CompletableFuture<>();
            one.newLane("noisy")
                    .execute(
                            () -> {
                                runaway.complete(Thread.currentThread());
                                guestCall(otherServed);
                                endedBeforeTheOther.complete(otherServed.getCount() > 0);
                            });
            Thread lowered = runaway.get(10, TimeUnit.SECONDS);

            Thread other =
                    one.newLane("quiet")
                            .submit(
                                    () -> {
                                        otherServed.countDown();
                                        return Thread.currentThread();
                                    })
                            .get(10, TimeUnit.SECONDS);

            assertThat(endedBeforeTheOther.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(other).isNotSameAs(lowered);
            assertThat(other.getName()).startsWith("wasm-worker-");
            assertThat(other.getPriority()).isEqualTo(Thread.NORM_PRIORITY);
            assertThat(lowered.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
            lowered.join(10_000); // its turn over, the lowered worker ends
            assertThat(lowered.isAlive()).isFalse();
            assertThat(one.demotedCalls()).isEqualTo(1);
            // and the pool still serves, at normal priority
            assertThat(runningThread(one.newLane("noisy")).get(10, TimeUnit.SECONDS).getPriority())
                    .isEqualTo(Thread.NORM_PRIORITY);
        }
    }

    /** A task of many short guest calls (1 ms each, 20 of them) is not a long call. */
    @Test
    void aTaskOfManyShortCallsKeepsItsWorker() throws Exception {
        try (WasmScheduler one =
                new WasmScheduler(
                        WasmScheduler.Config.defaults()
                                .withWorkers(1)
                                .withDemoteAfterNanos(TimeUnit.MILLISECONDS.toNanos(5)))) {
            Thread t =
                    one.newLane("busy")
                            .submit(
                                    () -> {
                                        for (int i = 0; i < 20; i++) {
                                            long end = System.nanoTime() + 1_000_000;
                                            GuestCallGuard g = GuestCallGuard.current();
                                            g.enter(end + TimeUnit.SECONDS.toNanos(10));
                                            while (System.nanoTime() < end) {
                                                Thread.onSpinWait();
                                            }
                                            g.exit();
                                        }
                                        return Thread.currentThread();
                                    })
                            .get(10, TimeUnit.SECONDS);

            assertThat(t.getPriority()).isEqualTo(Thread.NORM_PRIORITY);
            assertThat(one.demotedCalls()).isZero();
            assertThat(runningThread(one.newLane("busy")).get(10, TimeUnit.SECONDS)).isSameAs(t);
        }
    }

    /**
     * What a background worker hands to another thread's queue goes through the relay, a thread at
     * normal priority; a foreground worker hands off directly.
     */
    @Test
    void aBackgroundWorkerHandsOffThroughTheRelay() throws Exception {
        scheduler.tier("noisy").background(true);
        CompletableFuture<Thread> relayed = new CompletableFuture<>();

        boolean backgroundNeedsIt =
                scheduler
                        .newLane("noisy")
                        .submit(
                                () -> {
                                    boolean needed = Handoff.needed();
                                    Handoff.relay(() -> relayed.complete(Thread.currentThread()));
                                    return needed;
                                })
                        .get(10, TimeUnit.SECONDS);
        boolean foregroundNeedsIt =
                scheduler.newLane("quiet").submit(Handoff::needed).get(10, TimeUnit.SECONDS);

        assertThat(backgroundNeedsIt).isTrue();
        assertThat(foregroundNeedsIt).isFalse();
        assertThat(Handoff.needed()).isFalse(); // nor any thread not a Wasm worker
        Thread relay = relayed.get(10, TimeUnit.SECONDS);
        assertThat(relay.getName()).isEqualTo("wasm-handoff");
        assertThat(relay.getPriority()).isEqualTo(Thread.NORM_PRIORITY);
    }
}

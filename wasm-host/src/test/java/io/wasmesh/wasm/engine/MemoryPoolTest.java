package io.wasmesh.wasm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import run.endive.runtime.Memory;
import run.endive.wasm.types.MemoryLimits;

class MemoryPoolTest {
    static final MemoryLimits LIMITS = new MemoryLimits(2, 16);

    @Test
    void aGivenBackMemoryIsTheNextOneTaken() {
        MemoryPool pool = new MemoryPool(2);
        Memory m = pool.take(LIMITS);
        pool.give(m);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.take(LIMITS)).isSameAs(m);
        assertThat(pool.size()).isZero();
    }

    @Test
    void grownMemoriesAndMemoriesBeyondTheCapacityAreNotKept() {
        MemoryPool pool = new MemoryPool(1);
        Memory grown = pool.take(LIMITS);
        grown.grow(1);
        pool.give(grown);
        assertThat(pool.size()).isZero();

        pool.give(pool.take(LIMITS));
        pool.give(pool.take(LIMITS)); // the kept one again
        Memory second = new run.endive.runtime.ByteArrayMemory(LIMITS);
        pool.give(second);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.take(LIMITS)).isNotSameAs(second);
    }

    @Test
    void aMemoryOfOtherLimitsIsNotHandedOut() {
        MemoryPool pool = new MemoryPool(2);
        Memory small = pool.take(LIMITS);
        pool.give(small);
        Memory bigger = pool.take(new MemoryLimits(4, 16));
        assertThat(bigger).isNotSameAs(small);
        assertThat(bigger.pages()).isEqualTo(4);
    }

    @Test
    void anIdlePoolLetsItsMemoriesGo() {
        MemoryPool pool = new MemoryPool(2);
        pool.give(pool.take(LIMITS));
        assertThat(pool.releaseIfIdle(Duration.ofHours(1))).as("just used").isZero();
        assertThat(pool.releaseIfIdle(Duration.ZERO)).isEqualTo(1);
        assertThat(pool.size()).isZero();
    }
}

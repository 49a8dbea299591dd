package io.wasmesh.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a body's source is read: never while any reason to stop holds. */
class BodyReadsTest {
    private final List<String> calls = new ArrayList<>();
    private final BodyReads reads =
            new BodyReads(() -> calls.add("pause"), () -> calls.add("resume"));

    @Test
    void aChunkInTheChainPausesAndItsEndResumes() {
        reads.start();
        reads.chainStarted();
        reads.chainDone();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void theEndOfAPhaseDoesNotResumeASourceHeldForAFullSink() {
        reads.start();
        reads.chainStarted();
        reads.sinkFilled(); // the chunk's output filled the sink's write queue
        reads.chainDone();
        assertThat(reads.reading()).isFalse();
        assertThat(calls).containsExactly("resume", "pause");

        reads.sinkDrained();
        assertThat(reads.reading()).isTrue();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void aDrainDuringAPhaseWaitsForThePhase() {
        reads.start();
        reads.sinkFilled(); // body a filter let go on its own filled the queue
        reads.chainStarted();
        reads.sinkDrained();
        assertThat(reads.reading()).isFalse();
        reads.chainDone();
        assertThat(reads.reading()).isTrue();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void aBodyWaitingForItsSinkIsNotReadUntilItOpens() {
        reads.start();
        reads.chainStarted();
        reads.awaitSink(); // a request body outgrew the retry buffer
        reads.chainDone();
        assertThat(reads.reading()).isFalse();
        reads.sinkOpen();
        assertThat(reads.reading()).isTrue();
    }

    @Test
    void nothingIsReadBeforeStartNorDecidedAfterClose() {
        reads.chainStarted();
        reads.chainDone();
        assertThat(calls).isEmpty();
        reads.start();
        reads.close();
        reads.chainStarted();
        reads.sinkFilled();
        reads.sinkDrained();
        assertThat(calls).containsExactly("resume");
    }
}

package io.wasmesh.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the upstream's response body is read: never while any reason to stop holds. */
class UpstreamReadsTest {
    private final List<String> calls = new ArrayList<>();
    private final UpstreamReads reads =
            new UpstreamReads(() -> calls.add("pause"), () -> calls.add("resume"));

    @Test
    void aChunkInTheChainPausesAndItsEndResumes() {
        reads.start();
        reads.chainStarted();
        reads.chainDone();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void theEndOfAPhaseDoesNotResumeAnUpstreamHeldForAFullClient() {
        reads.start();
        reads.chainStarted();
        reads.clientFilled(); // the chunk's output filled the client's write queue
        reads.chainDone();
        assertThat(reads.reading()).isFalse();
        assertThat(calls).containsExactly("resume", "pause");

        reads.clientDrained();
        assertThat(reads.reading()).isTrue();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void aDrainDuringAPhaseWaitsForThePhase() {
        reads.start();
        reads.clientFilled(); // body a filter let go on its own filled the queue
        reads.chainStarted();
        reads.clientDrained();
        assertThat(reads.reading()).isFalse();
        reads.chainDone();
        assertThat(reads.reading()).isTrue();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void nothingIsReadBeforeStartNorDecidedAfterClose() {
        reads.chainStarted();
        reads.chainDone();
        assertThat(calls).isEmpty();
        reads.start();
        reads.close();
        reads.chainStarted();
        reads.clientFilled();
        reads.clientDrained();
        assertThat(calls).containsExactly("resume");
    }
}

package io.wasmesh.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the client's request body is read: never while any reason to stop holds. */
class ClientReadsTest {
    private final List<String> calls = new ArrayList<>();
    private final ClientReads reads =
            new ClientReads(() -> calls.add("pause"), () -> calls.add("resume"));

    @Test
    void aChunkInTheChainPausesAndItsEndResumes() {
        reads.start();
        reads.chainStarted();
        reads.chainDone();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void theEndOfAPhaseDoesNotResumeAClientHeldForAFullUpstream() {
        reads.start();
        reads.chainStarted();
        reads.upstreamFilled(); // the chunk's output filled the upstream's write queue
        reads.chainDone();
        assertThat(reads.reading()).isFalse();
        assertThat(calls).containsExactly("resume", "pause");

        reads.upstreamDrained();
        assertThat(reads.reading()).isTrue();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void aDrainDuringAPhaseWaitsForThePhase() {
        reads.start();
        reads.upstreamFilled(); // body a filter let go on its own filled the queue
        reads.chainStarted();
        reads.upstreamDrained();
        assertThat(reads.reading()).isFalse();
        reads.chainDone();
        assertThat(reads.reading()).isTrue();
        assertThat(calls).containsExactly("resume", "pause", "resume");
    }

    @Test
    void aBodyWaitingForItsUpstreamRequestIsNotReadUntilItOpens() {
        reads.start();
        reads.chainStarted();
        reads.awaitUpstream(); // outgrew the retry buffer
        reads.chainDone();
        assertThat(reads.reading()).isFalse();
        reads.upstreamOpen();
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
        reads.upstreamFilled();
        reads.upstreamDrained();
        assertThat(calls).containsExactly("resume");
    }
}

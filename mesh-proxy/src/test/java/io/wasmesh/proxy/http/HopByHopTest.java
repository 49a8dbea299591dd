package io.wasmesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The headers a proxy never forwards: the fixed ones and whatever Connection names. */
class HopByHopTest {

    @Test
    void withoutConnectionOrWithOnlyKeepAliveOrCloseTheFixedSetIsEnough() {
        assertThat(HopByHop.namesIn(MultiMap.caseInsensitiveMultiMap())).isSameAs(HopByHop.ALWAYS);
        assertThat(
                        HopByHop.namesIn(
                                MultiMap.caseInsensitiveMultiMap().add("Connection", "Keep-Alive")))
                .isSameAs(HopByHop.ALWAYS);
        assertThat(HopByHop.namesIn(MultiMap.caseInsensitiveMultiMap().add("connection", "close")))
                .isSameAs(HopByHop.ALWAYS);
    }

    @Test
    void headersThatConnectionNamesAreDroppedToo() {
        MultiMap h =
                MultiMap.caseInsensitiveMultiMap()
                        .add("Connection", "keep-alive, X-Secret")
                        .add("connection", "x-other");

        assertThat(HopByHop.namesIn(h))
                .contains("x-secret", "x-other", "keep-alive", "transfer-encoding");
    }
}

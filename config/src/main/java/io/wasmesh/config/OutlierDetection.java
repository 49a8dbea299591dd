package io.wasmesh.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Ejection of endpoints that keep failing, with Envoy's defaults. In Java, a 0 means the default.
 *
 * @param consecutive5xx consecutive 5xx answers that eject an endpoint; default 5
 * @param consecutiveGatewayFailure consecutive 502/503/504 answers (and connection failures) that
 *     eject an endpoint; default 5
 * @param interval how often ejections are reconsidered; default 10 s
 * @param baseEjectionTime how long an endpoint stays ejected, times its ejections; default 30 s
 * @param maxEjectionPercent the most endpoints ejected at once, in percent; default 10
 */
public record OutlierDetection(
        int consecutive5xx,
        int consecutiveGatewayFailure,
        Duration interval,
        Duration baseEjectionTime,
        int maxEjectionPercent) {

    public OutlierDetection {
        consecutive5xx = consecutive5xx == 0 ? 5 : consecutive5xx;
        consecutiveGatewayFailure = consecutiveGatewayFailure == 0 ? 5 : consecutiveGatewayFailure;
        interval = Objects.requireNonNullElse(interval, Duration.ofSeconds(10));
        baseEjectionTime = Objects.requireNonNullElse(baseEjectionTime, Duration.ofSeconds(30));
        maxEjectionPercent = maxEjectionPercent == 0 ? 10 : maxEjectionPercent;
    }
}

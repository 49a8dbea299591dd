package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.wasmesh.config.internal.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "1.5s, PT1.5S",
        "15s, PT15S",
        "2m, PT2M",
        "1h, PT1H",
        "0s, PT0S",
        "0.5ms, PT0.0005S",
        "1.000000001s, PT1.000000001S",
        "999999999h, PT999999999H"
    })
    void parse(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5s", "5", "1.5", "5 s", "5S", "1d", ".5s", "1.s", "", "1e3ms"})
    void notDurations(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage(
                        "not a duration: '" + text + "' (expected: such as 250ms, 1.5s, 2m or 1h)");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0.25S, 250ms",
        "PT1.5S, 1500ms",
        "PT15S, 15s",
        "PT90S, 90s",
        "PT2M, 2m",
        "PT1H, 1h",
        "PT0S, 0s",
        "PT0.0005S, 0.0005s"
    })
    void formatIsShortAndReadsBack(Duration duration, String text) {
        assertThat(Durations.format(duration)).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(duration);
    }

    @Test
    void durationsInAFile() throws ConfigException {
        MeshConfig config =
                Configs.yaml(
                        """
                        listeners: [{name: http, port: 8080}]
                        tenants:
                          - name: t
                            domains: [t.test]
                            limits: {callDeadline: 250ms}
                            routes: [{cluster: a, timeout: 0s, retries: {perTryTimeout: 1.5s}}]
                            clusters: [{name: a, endpoints: ["a:1"], connectTimeout: 2m}]
                        """);

        TenantConfig t = config.tenant("t");
        assertThat(t.limits().callDeadline()).isEqualTo(Duration.ofMillis(250));
        assertThat(t.routes().get(0).timeout()).isZero();
        assertThat(t.routes().get(0).retries().perTryTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(t.cluster("a").connectTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void badDurationsInAFile() {
        assertThat(
                        Configs.errors(
                                """
                                listeners: [{name: http, port: 8080}]
                                tenants:
                                  - name: t
                                    domains: [t.test]
                                    limits: {callDeadline: 0ms}
                                    routes: [{cluster: a, timeout: -5s}]
                                    clusters: [{name: a, endpoints: ["a:1"], connectTimeout: 1.5}]
                                """))
                .containsExactly(
                        "test.yaml:5:28: tenants[0].limits.callDeadline: must be a positive duration: a number"
                                + " and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h",
                        "test.yaml:6:36: tenants[0].routes[0].timeout: must be a duration: a non-negative number"
                                + " and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h",
                        "test.yaml:7:62: tenants[0].clusters[0].connectTimeout: must be a positive duration: a"
                                + " number and a unit (ms, s, m, h), such as 250ms, 1.5s, 2m or 1h");
    }
}

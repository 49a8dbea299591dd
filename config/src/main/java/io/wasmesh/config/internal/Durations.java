package io.wasmesh.config.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the configuration writes them: a non-negative number and a unit, {@code 250ms},
 * {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 0s}. The schema holds the same pattern.
 */
public final class Durations {

    private static final Pattern DURATION =
            Pattern.compile("([0-9]{1,9}(?:\\.[0-9]{1,9})?)(ms|s|m|h)");

    private Durations() {}

    /**
     * @throws IllegalArgumentException if {@code text} is not a duration
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a duration: '" + text + "' (expected: such as 250ms, 1.5s, 2m or 1h)");
        }
        BigDecimal seconds = new BigDecimal(m.group(1)).multiply(secondsPerUnit(m.group(2)));
        BigDecimal whole = seconds.setScale(0, RoundingMode.DOWN);
        long nanos =
                seconds.subtract(whole)
                        .movePointRight(9)
                        .setScale(0, RoundingMode.HALF_UP)
                        .longValue();
        return Duration.ofSeconds(whole.longValueExact(), nanos);
    }

    /**
     * The shortest text that {@link #parse} reads back as {@code d}: {@code 1500ms}, {@code 2m}.
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long seconds = d.getSeconds();
        int nanos = d.getNano();
        if (nanos == 0) {
            if (seconds != 0 && seconds % 3600 == 0) {
                return seconds / 3600 + "h";
            }
            if (seconds != 0 && seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
        if (nanos % 1_000_000 == 0) {
            return seconds * 1000 + nanos / 1_000_000 + "ms";
        }
        return BigDecimal.valueOf(seconds)
                        .add(BigDecimal.valueOf(nanos, 9))
                        .stripTrailingZeros()
                        .toPlainString()
                + "s";
    }

    private static BigDecimal secondsPerUnit(String unit) {
        return switch (unit) {
            case "ms" -> new BigDecimal("0.001");
            case "s" -> BigDecimal.ONE;
            case "m" -> BigDecimal.valueOf(60);
            default -> BigDecimal.valueOf(3600);
        };
    }
}

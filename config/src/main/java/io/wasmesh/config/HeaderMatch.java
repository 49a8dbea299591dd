package io.wasmesh.config;

import java.util.Locale;

/**
 * A condition on one request header: exactly one of {@code exact}, {@code prefix}, {@code regex}
 * and {@code present}.
 *
 * @param name the header name, lower-cased
 * @param exact the value equals this
 * @param prefix the value starts with this
 * @param regex a {@link java.util.regex.Pattern} the whole value must match
 * @param present {@code true}: the header is present; {@code false}: it is absent
 * @param invert negate the condition
 */
public record HeaderMatch(
        String name, String exact, String prefix, String regex, Boolean present, boolean invert) {

    public HeaderMatch {
        name = name == null ? null : name.toLowerCase(Locale.ROOT);
    }
}

package io.wasmesh.config;

/**
 * A condition on one query parameter: exactly one of {@code exact}, {@code regex} and {@code
 * present}.
 *
 * @param name the parameter name
 * @param exact the value equals this
 * @param regex a {@link java.util.regex.Pattern} the whole value must match
 * @param present {@code true}: the parameter is present; {@code false}: it is absent
 */
public record QueryMatch(String name, String exact, String regex, Boolean present) {}

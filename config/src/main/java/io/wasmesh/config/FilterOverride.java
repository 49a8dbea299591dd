package io.wasmesh.config;

/**
 * A route's change to one of its tenant's filters.
 *
 * @param disabled {@code true}: the filter does not run on this route; {@code null}: unchanged
 * @param configuration the filter's configuration on this route (an object or array in a file is
 *     stored as compact JSON), or {@code null} to keep the filter's own
 */
public record FilterOverride(Boolean disabled, String configuration) {}

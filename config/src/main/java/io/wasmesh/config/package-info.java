/**
 * The wasmesh configuration: listeners and tenants (domains, Wasm filters, routes, clusters, Wasm
 * services) as immutable records, loaded from YAML or JSON by {@link
 * io.wasmesh.config.ConfigLoader}.
 *
 * <p>Every record applies its defaults in its compact constructor, so a record built in Java with
 * {@code null} components equals one loaded from a file that leaves those fields out. The published
 * JSON Schema ({@code wasmesh-config.schema.json}, next to this package) states the same defaults.
 * The loader validates; the constructors only fill in defaults and normalize case.
 */
package io.wasmesh.config;

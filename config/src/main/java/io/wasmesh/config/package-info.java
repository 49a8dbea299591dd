/**
 * The wasmesh configuration: listeners and tenants (domains, Wasm filters, routes, clusters, Wasm
 * services) as immutable records, loaded from YAML or JSON by {@link
 * io.wasmesh.config.ConfigLoader}.
 *
 * <p>Every record applies its defaults in its compact constructor, so a record built in Java with
 * {@code null} components equals one loaded from a file that leaves those fields out. The published
 * JSON Schema ({@code wasmesh-config.schema.json}, next to this package) states the same defaults.
 * The loader validates; the constructors only fill in defaults and normalize case.
 *
 * <p>For the control plane, the loader also reads a {@link io.wasmesh.config.TenantDocument} (what
 * a tenant applies: its filters, routes, clusters and services, modules by digest; schema {@code
 * wasmesh-tenant.schema.json}), a {@link io.wasmesh.config.TenantConfig} on its own and {@link
 * io.wasmesh.config.TenantLimits}; the last two write themselves back with {@code toJson()}.
 */
package io.wasmesh.config;

/**
 * OpenTelemetry for wasmesh: {@link io.wasmesh.observability.Telemetry} configures the SDK from the
 * standard {@code OTEL_*} variables (tracing off unless an exporter is configured) and renders
 * every metric as Prometheus text for the admin endpoints.
 */
package io.wasmesh.observability;

/**
 * The control plane: tenants, tokens, modules and config revisions in an embedded Hazelcast member,
 * persisted write-through; a REST API for operators and tenants; a push stream to proxies.
 */
package io.wasmesh.controlplane;

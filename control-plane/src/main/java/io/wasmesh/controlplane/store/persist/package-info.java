/**
 * Where the control plane's persisted maps live between restarts: {@link
 * io.wasmesh.controlplane.store.persist.Persistence} picks a store for a node and wires it into the
 * Hazelcast config as a write-through, eagerly loaded {@code MapStore}: a folder of files ({@link
 * io.wasmesh.controlplane.store.persist.FileMapStore}) or one PostgreSQL table ({@link
 * io.wasmesh.controlplane.store.persist.JdbcMapStore}).
 */
package io.wasmesh.controlplane.store.persist;

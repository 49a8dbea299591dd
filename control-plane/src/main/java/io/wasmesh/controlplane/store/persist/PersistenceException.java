package io.wasmesh.controlplane.store.persist;

/**
 * A store could not do what Hazelcast asked; write-through passes it on to the caller of the map
 * operation, so the message says which store, map and key.
 */
public class PersistenceException extends RuntimeException {
    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }
}

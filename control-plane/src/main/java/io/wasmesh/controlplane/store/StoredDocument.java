package io.wasmesh.controlplane.store;

/**
 * A tenant's config document exactly as sent, so {@code GET …/config} gives back the tenant's own
 * text, comments included.
 *
 * @param format {@code yaml} or {@code json}
 */
public record StoredDocument(String format, String text) {}

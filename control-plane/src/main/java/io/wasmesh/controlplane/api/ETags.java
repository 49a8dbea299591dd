package io.wasmesh.controlplane.api;

import io.wasmesh.controlplane.store.TenantUpdates;

/** Revisions as entity tags: {@code "7"}. */
final class ETags {
    private ETags() {}

    static String of(long revision) {
        return "\"" + revision + "\"";
    }

    /**
     * The revision an {@code If-Match} header names, or {@link TenantUpdates#ANY} when absent or
     * {@code *}.
     */
    static long ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return TenantUpdates.ANY;
        }
        String v = header.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("If-Match must be a revision as an entity tag, like \"7\"");
        }
    }
}

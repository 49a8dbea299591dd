package io.wasmesh.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.controlplane.auth.TokenRecord;
import io.wasmesh.controlplane.store.TenantRecord;
import io.wasmesh.controlplane.store.TenantRecord.Quota;
import io.wasmesh.controlplane.store.TenantRecord.Revision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What the API shows of stored records. */
final class Views {
    private Views() {}

    record Usage(int modules, long moduleBytes) {}

    record TenantView(
            String name,
            List<String> domains,
            JsonNode limits,
            Quota quota,
            Usage usage,
            long revision,
            String createdAt) {}

    record RevisionView(
            long revision,
            String createdAt,
            String reason,
            String author,
            String format,
            List<String> modules,
            List<String> domains) {}

    record TokenView(String id, String role, String tenant, String name, String createdAt) {}

    record IssuedToken(String id, String role, String tenant, String name, String token) {}

    static TenantView tenant(TenantRecord t) {
        return new TenantView(
                t.name(),
                t.domains(),
                json(t.limits()),
                t.quota(),
                new Usage(t.modules().size(), t.moduleBytes()),
                t.activeNumber(),
                t.createdAt());
    }

    static RevisionView revision(Revision r) {
        return new RevisionView(
                r.number(),
                r.createdAt(),
                r.reason(),
                r.author(),
                r.format(),
                r.modules(),
                r.domains());
    }

    static TokenView token(TokenRecord r) {
        return new TokenView(r.id(), r.role(), r.tenant(), r.name(), r.createdAt());
    }

    static JsonNode json(String text) {
        try {
            return ApiJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

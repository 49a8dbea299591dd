package io.wasmesh.controlplane.push;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wasmesh.config.ConfigException;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.Format;
import io.wasmesh.config.TenantConfig;
import io.wasmesh.config.TenantDocument;
import io.wasmesh.config.TenantLimits;
import io.wasmesh.controlplane.store.StoredDocument;
import io.wasmesh.controlplane.store.TenantRecord;
import io.wasmesh.controlplane.store.TenantRecord.ModuleInfo;
import io.wasmesh.controlplane.store.TenantRecord.Revision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The frames of the push stream. A revision frame carries the whole tenant in the config schema's
 * form (the operator's settings joined with the tenant's document), so a proxy needs nothing but
 * the config loader and the module bytes to run it.
 */
final class RevisionMessages {
    static final JsonMapper MAPPER = new JsonMapper();

    private RevisionMessages() {}

    /**
     * @param traceparent the trace the proxies' apply spans join (the push's, else the write's), or
     *     null
     */
    static String revision(TenantRecord tenant, StoredDocument stored, String traceparent) {
        Revision r = tenant.active();
        TenantConfig whole = compose(tenant.name(), r, stored);
        ObjectNode msg = MAPPER.createObjectNode();
        msg.put("type", "revision");
        msg.put("tenant", tenant.name());
        msg.put("revision", r.number());
        if (traceparent != null) {
            msg.put("traceparent", traceparent);
        }
        try {
            msg.set("tenantConfig", MAPPER.readTree(whole.toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode modules = msg.putArray("modules");
        for (String sha : r.modules()) {
            ModuleInfo info = tenant.modules().get(sha);
            ObjectNode m = modules.addObject();
            m.put("sha256", sha);
            if (info != null) {
                m.put("size", info.size());
            }
        }
        return msg.toString();
    }

    static String removed(String tenant) {
        ObjectNode msg = MAPPER.createObjectNode();
        msg.put("type", "removed");
        msg.put("tenant", tenant);
        return msg.toString();
    }

    /** Settings plus document; both were validated when stored, so failing here is a bug. */
    static TenantConfig compose(String name, Revision r, StoredDocument stored) {
        try {
            TenantLimits limits = ConfigLoader.parseLimits(r.limits(), "stored limits");
            TenantDocument doc =
                    stored.text().isBlank()
                            ? TenantDocument.EMPTY
                            : ConfigLoader.parseTenantDocument(
                                    stored.text(),
                                    "revision " + r.number(),
                                    Format.valueOf(stored.format().toUpperCase(Locale.ROOT)));
            return doc.toTenant(name, r.domains(), limits);
        } catch (ConfigException e) {
            throw new IllegalStateException(
                    "stored revision " + r.number() + " of " + name + " no longer loads: " + e, e);
        }
    }
}

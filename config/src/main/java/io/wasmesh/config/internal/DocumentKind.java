package io.wasmesh.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.config.TenantConfig;
import io.wasmesh.config.TenantDocument;
import io.wasmesh.config.TenantLimits;
import io.wasmesh.config.internal.bind.CanonicalForm;
import io.wasmesh.config.internal.check.SemanticChecks;
import io.wasmesh.config.internal.schema.ConfigSchema;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * What the loader's stages do differently for each kind of document: the schema it must match, the
 * rules beyond the schema, its canonical form and the record it binds to. The stages themselves are
 * the same for all.
 *
 * @param schema what the document must match
 * @param checks the rules beyond the schema; they run even when the schema failed
 * @param canonical the document, valid, in the shape the record binds from
 * @param type the record
 */
public record DocumentKind<T>(
        ConfigSchema schema,
        BiConsumer<JsonNode, Problems> checks,
        UnaryOperator<JsonNode> canonical,
        Class<T> type) {

    /** A mesh file whose relative file names are relative to {@code baseDir}. */
    public static DocumentKind<MeshConfig> mesh(Path baseDir) {
        ConfigSchema schema = ConfigSchema.mesh();
        return new DocumentKind<>(
                schema,
                (document, problems) -> SemanticChecks.mesh(document, baseDir, problems),
                document -> CanonicalForm.mesh(document, baseDir, schema.document()),
                MeshConfig.class);
    }

    /** One tenant object, as the control plane pushes it and a proxy keeps it. */
    public static DocumentKind<TenantConfig> tenant() {
        ConfigSchema schema = ConfigSchema.tenant();
        // Its module paths are absolute (checked): resolving them only normalizes them.
        Path anyDir = Path.of("").toAbsolutePath();
        return new DocumentKind<>(
                schema,
                SemanticChecks::tenant,
                document -> CanonicalForm.tenant(document, anyDir, schema.document()),
                TenantConfig.class);
    }

    /** What a tenant applies through the control plane. */
    public static DocumentKind<TenantDocument> tenantDocument() {
        ConfigSchema schema = ConfigSchema.tenantDocument();
        // Modules are by digest only: there are no file names to resolve.
        Path noFiles = Path.of("").toAbsolutePath();
        return new DocumentKind<>(
                schema,
                SemanticChecks::tenantDocument,
                document -> CanonicalForm.tenant(document, noFiles, schema.document()),
                TenantDocument.class);
    }

    /** A tenant's limits, as the operator sets them. */
    public static DocumentKind<TenantLimits> limits() {
        ConfigSchema schema = ConfigSchema.limits();
        return new DocumentKind<>(
                schema,
                (document, problems) -> {},
                document -> CanonicalForm.withDefaults(document, schema.document()),
                TenantLimits.class);
    }
}

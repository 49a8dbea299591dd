package io.wasmesh.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.config.internal.DocumentKind;
import io.wasmesh.config.internal.Problems;
import io.wasmesh.config.internal.SourceMap;
import io.wasmesh.config.internal.bind.ModelMapper;
import io.wasmesh.config.internal.read.DocumentReader;
import io.wasmesh.config.internal.read.SyntaxError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a {@link MeshConfig} from YAML or JSON, strictly (and, for the control plane, a {@link
 * TenantDocument}, a {@link TenantConfig} or {@link TenantLimits} on their own): the document must
 * match the published JSON Schema and the rules it cannot express (names that exist and are unique,
 * exactly one action per route, regexes that compile, files that exist). Every problem is reported
 * at once, each with its place in the text.
 *
 * <p>File names in the document (modules, certificates) are resolved against the document's
 * directory; the model holds them absolute and normalized.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Loads a file; its extension says the format: {@code .yaml}, {@code .yml} or {@code .json}.
     * Errors name the file as given.
     */
    public static MeshConfig load(Path file) throws ConfigException {
        String source = file.toString();
        Format format =
                Format.of(file)
                        .orElseThrow(
                                () ->
                                        fileError(
                                                source,
                                                "unknown format: the name must end in .yaml,"
                                                        + " .yml or .json"));
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fileError(source, "file not found");
        } catch (CharacterCodingException e) {
            throw fileError(source, "not UTF-8 text");
        } catch (IOException e) {
            throw fileError(source, "cannot read: " + e);
        }
        return parse(text, source, format, file.toAbsolutePath().normalize().getParent());
    }

    /**
     * Parses a document; relative file names in it are resolved against the working directory.
     *
     * @param sourceName how errors name the document
     */
    public static MeshConfig parse(String text, String sourceName, Format format)
            throws ConfigException {
        return parse(text, sourceName, format, Path.of("").toAbsolutePath());
    }

    /**
     * Parses a document whose relative file names are relative to {@code baseDir}.
     *
     * @param sourceName how errors name the document
     */
    public static MeshConfig parse(String text, String sourceName, Format format, Path baseDir)
            throws ConfigException {
        return load(text, sourceName, format, DocumentKind.mesh(baseDir));
    }

    /**
     * Parses what a tenant applies through the control plane: its {@code filters}, {@code routes},
     * {@code clusters} and {@code services} (schema {@code wasmesh-tenant.schema.json}). Modules
     * are given by digest only ({@code module: {sha256: <hex>}} or {@code module: sha256:<hex>});
     * the tenant's name, domains and limits are the operator's and refused here. Every rule of a
     * tenant in a mesh file applies; errors are placed in this document (paths such as {@code
     * routes[0].match.prefix}).
     *
     * @param sourceName how errors name the document
     */
    public static TenantDocument parseTenantDocument(String text, String sourceName, Format format)
            throws ConfigException {
        return load(text, sourceName, format, DocumentKind.tenantDocument());
    }

    /**
     * Parses one tenant object, as a mesh file's {@code tenants} holds it and {@link
     * TenantConfig#toJson()} writes it: what the control plane pushes and a proxy keeps. Modules
     * name a digest, an absolute path, or both; files are not looked at (the proxy that builds the
     * tenant does).
     *
     * @param sourceName how errors name the document
     */
    public static TenantConfig parseTenant(String json, String sourceName) throws ConfigException {
        return load(json, sourceName, Format.JSON, DocumentKind.tenant());
    }

    /**
     * Parses a tenant's {@code limits} object, as the operator sets it and {@link
     * TenantLimits#toJson()} writes it; absent fields take their defaults.
     *
     * @param sourceName how errors name the document
     */
    public static TenantLimits parseLimits(String json, String sourceName) throws ConfigException {
        return load(json, sourceName, Format.JSON, DocumentKind.limits());
    }

    // The four stages, for every kind of document: read, schema, rules, bind (README, "Inside").
    private static <T> T load(String text, String sourceName, Format format, DocumentKind<T> kind)
            throws ConfigException {
        SourceMap positions = new SourceMap();
        Problems problems = new Problems(sourceName, positions);
        JsonNode document;
        try {
            document = new DocumentReader(positions, problems).read(text, format);
        } catch (SyntaxError e) {
            throw new ConfigException(
                    List.of(
                            new ConfigError(
                                    sourceName,
                                    e.position().line(),
                                    e.position().column(),
                                    "",
                                    e.getMessage())));
        }
        kind.schema().validate(document, problems);
        kind.checks().accept(document, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.errors());
        }
        Optional<T> model =
                ModelMapper.bind(kind.canonical().apply(document), kind.type(), problems);
        if (model.isEmpty()) {
            throw new ConfigException(problems.errors());
        }
        return model.get();
    }

    private static ConfigException fileError(String source, String message) {
        return new ConfigException(List.of(new ConfigError(source, 0, 0, "", message)));
    }
}

package io.wasmesh.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmesh.config.internal.Problems;
import io.wasmesh.config.internal.SourceMap;
import io.wasmesh.config.internal.bind.CanonicalForm;
import io.wasmesh.config.internal.bind.ModelMapper;
import io.wasmesh.config.internal.check.SemanticChecks;
import io.wasmesh.config.internal.read.DocumentReader;
import io.wasmesh.config.internal.read.SyntaxError;
import io.wasmesh.config.internal.schema.ConfigSchema;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a {@link MeshConfig} from YAML or JSON, strictly: the document must match the published
 * JSON Schema and the rules it cannot express (names that exist and are unique, exactly one action
 * per route, regexes that compile, files that exist). Every problem is reported at once, each with
 * its place in the text.
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
        ConfigSchema schema = ConfigSchema.get();
        schema.validate(document, problems);
        SemanticChecks.run(document, baseDir, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.errors());
        }
        JsonNode canonical = CanonicalForm.of(document, baseDir, schema.document());
        Optional<MeshConfig> config = ModelMapper.bind(canonical, problems);
        if (config.isEmpty()) {
            throw new ConfigException(problems.errors());
        }
        return config.get();
    }

    private static ConfigException fileError(String source, String message) {
        return new ConfigException(List.of(new ConfigError(source, 0, 0, "", message)));
    }
}

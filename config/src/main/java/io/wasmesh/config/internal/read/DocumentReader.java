package io.wasmesh.config.internal.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.wasmesh.config.Format;
import io.wasmesh.config.internal.ConfigPaths;
import io.wasmesh.config.internal.Position;
import io.wasmesh.config.internal.Problems;
import io.wasmesh.config.internal.SourceMap;
import java.io.IOException;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML or JSON text into a tree in one streaming pass, recording where each value and each
 * key was. Jackson's own tree reading would lose the positions, and would let a repeated key
 * silently replace the first.
 */
public final class DocumentReader {

    private static final JsonFactory YAML = new YAMLFactory();
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Jackson cites the start of an unclosed object as "[Source: ...; line: 1, column: 1]".
    private static final Pattern JACKSON_SOURCE =
            Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]");

    private final SourceMap positions;
    private final Problems problems;

    public DocumentReader(SourceMap positions, Problems problems) {
        this.positions = positions;
        this.problems = problems;
    }

    /**
     * The document as a tree. Repeated keys and YAML aliases are reported to the problems.
     *
     * @throws SyntaxError if the text is not one well-formed document
     */
    public JsonNode read(String text, Format format) throws SyntaxError {
        JsonFactory factory = format == Format.YAML ? YAML : JSON;
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new SyntaxError("the document is empty", Position.START);
            }
            JsonNode root = readValue(parser, ConfigPaths.ROOT);
            if (parser.nextToken() != null) {
                throw new SyntaxError(
                        "expected one document, found more",
                        position(parser.currentTokenLocation()));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            // Reading a String does no I/O; Jackson declares it anyway.
            throw new IllegalStateException(e);
        }
    }

    private JsonNode readValue(JsonParser parser, String path) throws IOException {
        positions.value(path, position(parser.currentTokenLocation()));
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.at(
                    path,
                    "YAML aliases are not supported (*" + parser.getText() + "): repeat the value");
        }
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser, path);
            case START_ARRAY -> readArray(parser, path);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> integer(parser);
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> {
                // YAML !!binary and the like: nothing in the model takes them.
                problems.at(path, "unsupported value (" + parser.currentToken() + ")");
                yield NODES.nullNode();
            }
        };
    }

    private ObjectNode readObject(JsonParser parser, String path) throws IOException {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String fieldPath = ConfigPaths.field(path, name);
            Position keyPosition = position(parser.currentTokenLocation());
            parser.nextToken();
            if (object.has(name)) {
                problems.at(keyPosition, fieldPath, "duplicate field '" + name + "'");
                parser.skipChildren();
                continue;
            }
            positions.key(fieldPath, keyPosition);
            object.set(name, readValue(parser, fieldPath));
        }
        return object;
    }

    private ArrayNode readArray(JsonParser parser, String path) throws IOException {
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(readValue(parser, ConfigPaths.index(path, array.size())));
        }
        return array;
    }

    private static JsonNode integer(JsonParser parser) throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
        };
    }

    private static SyntaxError syntaxError(JsonProcessingException e) {
        // SnakeYAML knows the problem and the construct it was in, each with its own place.
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            String message = yaml.getProblem();
            if (yaml.getContext() != null && yaml.getContextMark() != null) {
                message +=
                        " ("
                                + yaml.getContext()
                                + " at line "
                                + (yaml.getContextMark().getLine() + 1)
                                + ", column "
                                + (yaml.getContextMark().getColumn() + 1)
                                + ")";
            }
            return new SyntaxError(
                    message,
                    new Position(
                            yaml.getProblemMark().getLine() + 1,
                            yaml.getProblemMark().getColumn() + 1));
        }
        String message =
                JACKSON_SOURCE.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2");
        Position position = e.getLocation() == null ? Position.START : position(e.getLocation());
        return new SyntaxError(message, position);
    }

    private static Position position(JsonLocation location) {
        return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
}

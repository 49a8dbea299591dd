package io.wasmesh.config.internal.bind;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.wasmesh.config.internal.ConfigPaths;
import io.wasmesh.config.internal.Durations;
import io.wasmesh.config.internal.Problems;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** Binds the canonical tree to the records, and writes the records back as JSON. */
public final class ModelMapper {

    private static final JsonMapper MAPPER =
            JsonMapper.builder()
                    // The schema already refused unknown fields; this is the safety net.
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .defaultPropertyInclusion(
                            JsonInclude.Value.construct(
                                    JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                    .addModule(
                            new SimpleModule("wasmesh-durations")
                                    .addSerializer(Duration.class, new DurationWriter())
                                    .addDeserializer(Duration.class, new DurationReader()))
                    .build();

    private ModelMapper() {}

    /**
     * The records of {@code type}, or empty with the reason reported (a bug: the schema should have
     * caught it).
     */
    public static <T> Optional<T> bind(JsonNode canonical, Class<T> type, Problems problems) {
        try {
            return Optional.of(MAPPER.treeToValue(canonical, type));
        } catch (DatabindException e) {
            problems.at(path(e), e.getOriginalMessage());
            return Optional.empty();
        } catch (JsonProcessingException e) {
            problems.at(ConfigPaths.ROOT, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** Pretty JSON, fields in declaration order, map keys sorted, absent values left out. */
    public static String write(Object model) {
        try {
            return MAPPER.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the model always writes", e);
        }
    }

    private static String path(DatabindException e) {
        String path = ConfigPaths.ROOT;
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                path =
                        r.getFieldName() != null
                                ? ConfigPaths.field(path, r.getFieldName())
                                : ConfigPaths.index(path, r.getIndex());
            }
        }
        return path;
    }

    private static final class DurationWriter extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeString(Durations.format(value));
        }
    }

    private static final class DurationReader extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
            }
        }
    }
}

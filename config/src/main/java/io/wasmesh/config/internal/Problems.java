package io.wasmesh.config.internal;

import io.wasmesh.config.ConfigError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Collects the problems of one document by path. They are placed in the text only at the end, so
 * any stage can report one before the source map is complete.
 */
public final class Problems {

    private record Problem(String path, String message, Function<SourceMap, Position> place) {}

    private final String source;
    private final SourceMap positions;
    private final List<Problem> problems = new ArrayList<>();

    public Problems(String source, SourceMap positions) {
        this.source = source;
        this.positions = positions;
    }

    /** A problem with the value at {@code path}. */
    public void at(String path, String message) {
        problems.add(new Problem(path, message, map -> map.valueAt(path)));
    }

    /** A problem with the field at {@code path} itself (its name): placed at its key. */
    public void atKey(String path, String message) {
        problems.add(new Problem(path, message, map -> map.keyAt(path)));
    }

    /** A problem placed at the value of {@code placePath}: a missing field, at its object. */
    public void atValueOf(String placePath, String path, String message) {
        problems.add(new Problem(path, message, map -> map.valueAt(placePath)));
    }

    /** A problem at a known place: a duplicate key, whose path the first one already holds. */
    public void at(Position position, String path, String message) {
        problems.add(new Problem(path, message, map -> position));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem, in document order; problems at the same place keep the order reported. */
    public List<ConfigError> errors() {
        return problems.stream()
                .map(this::toError)
                .distinct()
                .sorted(
                        Comparator.comparingInt(ConfigError::line)
                                .thenComparingInt(ConfigError::column))
                .toList();
    }

    private ConfigError toError(Problem p) {
        Position at = p.place().apply(positions);
        return new ConfigError(source, at.line(), at.column(), p.path(), p.message());
    }
}

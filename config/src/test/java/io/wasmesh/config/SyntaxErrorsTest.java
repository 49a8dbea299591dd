package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text that is not one well-formed document gives one error, where the parser stopped. */
class SyntaxErrorsTest {

    @Test
    void brokenYamlGivesTheParsersPlace() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - name: http
                                    port: [8080
                                tenants: []
                                """))
                .containsExactly(
                        "test.yaml:4:8: expected ',' or ']', but got :"
                                + " (while parsing a flow sequence at line 3, column 11)");
    }

    @Test
    void badIndentation() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - name: http
                                     port: 8080
                                """))
                .containsExactly("test.yaml:3:10: mapping values are not allowed here");
    }

    @Test
    void brokenJsonGivesTheParsersPlace() {
        assertThat(
                        ConfigLoaderErrors.of(
                                () -> Configs.json("{\"listeners\": [\n  {\"name\": }\n]}")))
                .containsExactly(
                        "test.json:2:12: Unexpected character ('}' (code 125)): expected a value");
        assertThat(ConfigLoaderErrors.of(() -> Configs.json("{\"listeners\": [\n")))
                .singleElement()
                .asString()
                .startsWith(
                        "test.json:2:1: Unexpected end-of-input: expected close marker for Array"
                                + " (start marker at line 1, column 15)");
    }

    @Test
    void emptyDocument() {
        assertThat(Configs.errors("# only a comment\n"))
                .containsExactly("test.yaml:1:1: the document is empty");
    }

    @Test
    void moreThanOneDocument() {
        assertThat(Configs.errors("listeners: []\n---\nlisteners: []\n"))
                .containsExactly("test.yaml:3:1: expected one document, found more");
    }

    @Test
    void duplicateKeysAndAliasesAreReportedWithTheRest() {
        assertThat(
                        Configs.errors(
                                """
                                listeners:
                                  - &http {name: http, port: 8080}
                                  - *http
                                listeners: []
                                """))
                .containsExactly(
                        "test.yaml:3:5: listeners[1]: YAML aliases are not supported (*http): repeat the value",
                        "test.yaml:3:5: listeners[1]: must be an object, not a string ('http')",
                        "test.yaml:4:1: listeners: duplicate field 'listeners'");
    }

    @Test
    void unreadableFiles(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yaml");
        Path toml = Files.writeString(dir.resolve("mesh.toml"), "");
        Path latin1 =
                Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});

        assertThat(ConfigLoaderErrors.of(() -> ConfigLoader.load(missing)))
                .containsExactly(missing + ": file not found");
        assertThat(ConfigLoaderErrors.of(() -> ConfigLoader.load(toml)))
                .containsExactly(
                        toml + ": unknown format: the name must end in .yaml, .yml or .json");
        assertThat(ConfigLoaderErrors.of(() -> ConfigLoader.load(latin1)))
                .containsExactly(latin1 + ": not UTF-8 text");
    }
}

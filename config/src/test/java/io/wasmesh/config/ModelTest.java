package io.wasmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the records do beyond holding values. */
class ModelTest {

    private static FilterConfig filter(String name, FilterPhase phase, int priority) {
        return new FilterConfig(
                name, ModuleRef.ofPath("/f.wasm"), null, null, phase, priority, null);
    }

    @Test
    void chainOrderIsPhaseThenHigherPriorityThenDeclaration() {
        List<FilterConfig> chain =
                new ArrayList<>(
                        List.of(
                                filter("stats", FilterPhase.STATS, 0),
                                filter("late", null, 0),
                                filter("authz", FilterPhase.AUTHZ, 0),
                                filter("authn-low", FilterPhase.AUTHN, -1),
                                filter("authn-high", FilterPhase.AUTHN, 10),
                                filter("authn-first", FilterPhase.AUTHN, 0),
                                filter("authn-second", FilterPhase.AUTHN, 0)));

        chain.sort(FilterConfig.CHAIN_ORDER);

        assertThat(chain)
                .extracting(FilterConfig::name)
                .containsExactly(
                        "authn-high",
                        "authn-first",
                        "authn-second",
                        "authn-low",
                        "authz",
                        "stats",
                        "late");
    }

    @Test
    void digestsAreLowerCase() {
        assertThat(new ModuleRef("/m.wasm", "ABCDEF").sha256()).isEqualTo("abcdef");
        assertThat(ModuleRef.ofPath("/m.wasm").sha256()).isNull();
    }

    @Test
    void aRouteWithoutActionSaysSo() {
        RouteConfig route =
                new RouteConfig("r", null, null, null, null, null, null, null, null, null);

        assertThatIllegalStateException()
                .isThrownBy(route::action)
                .withMessage("route 'r' has no action");
    }

    @Test
    void lookupsByName() throws ConfigException {
        MeshConfig config = ConfigLoader.load(Configs.EXAMPLES.resolve("mesh.yaml"));

        assertThat(config.tenant("blog").route("posts").cluster()).isEqualTo("blog");
        assertThat(config.tenant("nope")).isNull();
        assertThat(config.tenant("shop").cluster("nope")).isNull();
        assertThat(config.tenant("shop").filter("nope")).isNull();
        assertThat(config.tenant("shop").service("nope")).isNull();
    }

    @Test
    void errorsPrintAsCompilersDo() {
        assertThat(
                        new ConfigError(
                                "routes.yaml",
                                12,
                                9,
                                "tenants[0].routes[2].match.prefix",
                                "must start with '/'"))
                .hasToString(
                        "routes.yaml:12:9: tenants[0].routes[2].match.prefix: must start with '/'");
        assertThat(new ConfigError("a.yaml", 1, 1, "", "the document is empty"))
                .hasToString("a.yaml:1:1: the document is empty");
        assertThat(new ConfigError("a.yaml", 0, 0, "", "file not found"))
                .hasToString("a.yaml: file not found");
    }

    @Test
    void anExceptionNeedsErrors() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ConfigException(List.of()))
                .withMessage("errors: empty (expected: at least one)");
    }
}

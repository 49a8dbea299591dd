package io.wasmesh.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * A module configured as a filter (a proxy-wasm plugin).
 *
 * @param name the filter's name, unique in the tenant ({@code plugin_name})
 * @param module the module
 * @param rootId the root context the module dispatches on; default {@code ""}
 * @param configuration given to {@code proxy_on_configure}; a file may give an object or an array,
 *     stored as its compact JSON text; default {@code ""}
 * @param phase where the filter runs in the chain; default {@link FilterPhase#UNSPECIFIED}
 * @param priority the order within a phase, higher first; default 0
 * @param failurePolicy what requests meet when the VM fails; default {@link
 *     FailurePolicy#FAIL_CLOSED}
 *     <p>How many VMs serve a filter is not the filter's to say: the proxy runs one VM of every
 *     plugin on each of the tenant's Wasm lanes ({@code limits.wasmWorkers}).
 */
public record FilterConfig(
        String name,
        ModuleRef module,
        String rootId,
        String configuration,
        FilterPhase phase,
        int priority,
        FailurePolicy failurePolicy) {

    /**
     * The order of a filter chain, as Istio orders WasmPlugins: by phase, then by priority (higher
     * first). A stable sort keeps the declaration order of equals.
     */
    public static final Comparator<FilterConfig> CHAIN_ORDER =
            Comparator.comparing(FilterConfig::phase)
                    .thenComparing(Comparator.comparingInt(FilterConfig::priority).reversed());

    public FilterConfig {
        rootId = Objects.requireNonNullElse(rootId, "");
        configuration = Objects.requireNonNullElse(configuration, "");
        phase = Objects.requireNonNullElse(phase, FilterPhase.UNSPECIFIED);
        failurePolicy = Objects.requireNonNullElse(failurePolicy, FailurePolicy.FAIL_CLOSED);
    }
}

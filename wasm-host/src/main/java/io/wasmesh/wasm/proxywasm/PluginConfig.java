package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A module configured as a filter: Envoy's {@code PluginConfig} plus wasmesh's tenant and limits.
 * Immutable.
 *
 * @param tenant the tenant that owns the plugin; its shared data, queues and metrics are the only
 *     ones it reaches
 * @param name the plugin's name ({@code plugin_name})
 * @param rootId the root context the module dispatches on ({@code plugin_root_id})
 * @param vmId namespace of shared data and queues within the tenant ({@code plugin_vm_id})
 * @param configuration bytes given to {@code proxy_on_configure}
 * @param vmConfiguration bytes given to {@code proxy_on_vm_start}
 * @param failurePolicy what requests meet when the VM fails
 * @param limits memory and per-call deadline of each VM
 * @param logLevel the lowest level forwarded from {@code proxy_log}; also what {@code
 *     proxy_get_log_level} answers
 * @param environment what the module sees through WASI {@code environ_get}; never the host's
 * @param vmCount how many VMs serve the plugin concurrently (streams are spread over them)
 * @param bodyBufferLimit most request body bytes buffered while the filter pauses it
 * @param responseBodyBufferLimit most response body bytes buffered while the filter pauses it, and
 *     the largest body of a local response
 */
public record PluginConfig(
        String tenant,
        String name,
        String rootId,
        String vmId,
        byte[] configuration,
        byte[] vmConfiguration,
        FailurePolicy failurePolicy,
        InstanceLimits limits,
        LogLevel logLevel,
        Map<String, String> environment,
        int vmCount,
        int bodyBufferLimit,
        int responseBodyBufferLimit) {

    public PluginConfig {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        rootId = rootId == null ? "" : rootId;
        vmId = vmId == null ? "" : vmId;
        configuration = configuration == null ? new byte[0] : configuration.clone();
        vmConfiguration = vmConfiguration == null ? new byte[0] : vmConfiguration.clone();
        failurePolicy = failurePolicy == null ? FailurePolicy.FAIL_CLOSED : failurePolicy;
        limits = limits == null ? InstanceLimits.DEFAULT : limits;
        logLevel = logLevel == null ? LogLevel.INFO : logLevel;
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (vmCount < 1) {
            throw new IllegalArgumentException("vmCount: " + vmCount + " (expected: >= 1)");
        }
        if (bodyBufferLimit < 0 || responseBodyBufferLimit < 0) {
            throw new IllegalArgumentException(
                    "bodyBufferLimit: "
                            + bodyBufferLimit
                            + ", responseBodyBufferLimit: "
                            + responseBodyBufferLimit
                            + " (expected: >= 0)");
        }
    }

    /** A plugin with defaults for everything but its identity. */
    public static Builder builder(String tenant, String name) {
        return new Builder(tenant, name);
    }

    /** The buffer limit of one direction ({@code 0} request, {@code 1} response). */
    public int bodyBufferLimit(int direction) {
        return direction == 0 ? bodyBufferLimit : responseBodyBufferLimit;
    }

    @Override
    public byte[] configuration() {
        return configuration.clone();
    }

    @Override
    public byte[] vmConfiguration() {
        return vmConfiguration.clone();
    }

    /** Size without copying (the accessors return defensive copies). */
    public int configurationSize() {
        return configuration.length;
    }

    public int vmConfigurationSize() {
        return vmConfiguration.length;
    }

    /** Builds a {@link PluginConfig}. */
    public static final class Builder {
        private final String tenant;
        private final String name;
        private String rootId;
        private String vmId;
        private byte[] configuration;
        private byte[] vmConfiguration;
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;
        private InstanceLimits limits = InstanceLimits.DEFAULT;
        private LogLevel logLevel = LogLevel.INFO;
        private Map<String, String> environment = Map.of();
        private int vmCount = 1;
        private int bodyBufferLimit = 1 << 20;
        private int responseBodyBufferLimit = 1 << 20;

        private Builder(String tenant, String name) {
            this.tenant = tenant;
            this.name = name;
            this.rootId = name;
        }

        public Builder rootId(String v) {
            rootId = v;
            return this;
        }

        public Builder vmId(String v) {
            vmId = v;
            return this;
        }

        public Builder configuration(byte[] v) {
            configuration = v;
            return this;
        }

        public Builder configuration(String v) {
            return configuration(v.getBytes(StandardCharsets.UTF_8));
        }

        public Builder vmConfiguration(byte[] v) {
            vmConfiguration = v;
            return this;
        }

        public Builder failurePolicy(FailurePolicy v) {
            failurePolicy = v;
            return this;
        }

        public Builder limits(InstanceLimits v) {
            limits = v;
            return this;
        }

        public Builder callDeadline(Duration v) {
            limits = limits.withCallDeadline(v);
            return this;
        }

        public Builder maxMemoryPages(int v) {
            limits = limits.withMaxMemoryPages(v);
            return this;
        }

        public Builder logLevel(LogLevel v) {
            logLevel = v;
            return this;
        }

        public Builder environment(Map<String, String> v) {
            environment = v;
            return this;
        }

        public Builder vmCount(int v) {
            vmCount = v;
            return this;
        }

        public Builder bodyBufferLimit(int v) {
            bodyBufferLimit = v;
            return this;
        }

        public Builder responseBodyBufferLimit(int v) {
            responseBodyBufferLimit = v;
            return this;
        }

        public PluginConfig build() {
            return new PluginConfig(
                    tenant,
                    name,
                    rootId,
                    vmId,
                    configuration,
                    vmConfiguration,
                    failurePolicy,
                    limits,
                    logLevel,
                    environment,
                    vmCount,
                    bodyBufferLimit,
                    responseBodyBufferLimit);
        }
    }
}

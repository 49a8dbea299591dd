package io.wasmesh.config;

import io.wasmesh.config.internal.bind.ModelMapper;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of a proxy. Immutable; load it with {@link ConfigLoader}.
 *
 * @param version a free-text label of this configuration; default {@code "0"}
 * @param admin the admin listener; default {@link AdminConfig#DEFAULT}
 * @param listeners where the proxy accepts requests (the loader requires at least one)
 * @param tenants the tenants; default none
 */
public record MeshConfig(
        String version,
        AdminConfig admin,
        List<ListenerConfig> listeners,
        List<TenantConfig> tenants) {

    public MeshConfig {
        version = Objects.requireNonNullElse(version, "0");
        admin = Objects.requireNonNullElse(admin, AdminConfig.DEFAULT);
        listeners = Immutables.list(listeners);
        tenants = Immutables.list(tenants);
    }

    /** The tenant of that name, or {@code null}. */
    public TenantConfig tenant(String name) {
        return tenants.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The whole normalized model as pretty JSON with a stable field order (map keys sorted), as the
     * proxy's {@code /config_dump} shows it. The text loads back into an equal model.
     */
    public String toJson() {
        return ModelMapper.write(this);
    }
}

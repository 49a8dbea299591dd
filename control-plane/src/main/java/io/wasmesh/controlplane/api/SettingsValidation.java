package io.wasmesh.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wasmesh.config.ConfigError;
import io.wasmesh.config.ConfigException;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.TenantConfig;
import java.util.List;

/**
 * Checks an operator's tenant settings (name, domains, limits) with the config module's own rules,
 * so the API and a mesh file accept exactly the same values and say the same things about bad ones.
 */
final class SettingsValidation {
    private SettingsValidation() {}

    /** The settings as the config model reads them; 422 listing every error otherwise. */
    static TenantConfig check(String name, List<String> domains, JsonNode limits) {
        ObjectNode tenant = ApiJson.MAPPER.createObjectNode();
        tenant.put("name", name);
        if (domains != null) {
            domains.forEach(tenant.putArray("domains")::add);
        }
        if (limits != null) {
            tenant.set("limits", limits);
        }
        try {
            return ConfigLoader.parseTenant(tenant.toString(), "request");
        } catch (ConfigException e) {
            throw ApiProblem.invalid(
                    "the tenant settings are invalid",
                    e.errors().stream().map(SettingsValidation::describe).toList());
        }
    }

    /** {@code path: message}: positions in a JSON body the client did not write are noise. */
    static String describe(ConfigError e) {
        return e.path().isEmpty() ? e.message() : e.path() + ": " + e.message();
    }
}

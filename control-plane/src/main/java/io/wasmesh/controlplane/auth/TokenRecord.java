package io.wasmesh.controlplane.auth;

/**
 * A token as stored: never the secret, only its hash (the map key).
 *
 * @param id a public handle, for listing and revoking
 * @param role what it may do
 * @param tenant the tenant it is bound to (role {@code tenant}), else null
 * @param name a label from whoever created it
 */
public record TokenRecord(String id, String role, String tenant, String name, String createdAt) {

    public Principal principal() {
        return new Principal(id, Role.parse(role), tenant);
    }
}

package io.wasmesh.controlplane.auth;

/** Who is calling: the token's id, role and (for tenant tokens) tenant. */
public record Principal(String tokenId, Role role, String tenant) {

    /** Whether this caller may see and change what belongs to {@code tenantName}. */
    public boolean owns(String tenantName) {
        return role == Role.OPERATOR || (role == Role.TENANT && tenantName.equals(tenant));
    }
}

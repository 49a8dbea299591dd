package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;

/**
 * One family of checks of what a tenant holds (filters, routes, clusters, services), the schema
 * cannot express. Run on each tenant of a mesh file, on a tenant object, and on a tenant document,
 * whose root is the tenant.
 */
interface TenantRule {

    void checkTenant(Node tenant, Problems problems);
}

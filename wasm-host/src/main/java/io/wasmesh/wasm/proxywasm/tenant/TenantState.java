package io.wasmesh.wasm.proxywasm.tenant;

/**
 * Everything tenants' filters share at run time, for one tenant. Host functions reach shared data,
 * queues and metrics only through the {@code TenantState} of the plugin they serve, so a filter can
 * name another tenant's key or queue id but never reach it.
 */
public final class TenantState {
    /** Limits on what one tenant's filters may keep in the host. */
    public record Quotas(long sharedDataBytes, long queueBytes, int metrics) {
        public static final Quotas DEFAULT = new Quotas(16L << 20, 4L << 20, 1000);
    }

    private final String tenant;
    private final SharedData sharedData;
    private final SharedQueues queues;
    private final Metrics metrics;

    public TenantState(String tenant, Quotas quotas) {
        this.tenant = tenant;
        this.sharedData = new SharedData(quotas.sharedDataBytes());
        this.queues = new SharedQueues(quotas.queueBytes());
        this.metrics = new Metrics(quotas.metrics());
    }

    public String tenant() {
        return tenant;
    }

    /** Applies the shared-data quota a (re)loaded config gives the tenant. */
    public void setSharedDataBytes(long bytes) {
        sharedData.setMaxBytes(bytes);
    }

    public SharedData sharedData() {
        return sharedData;
    }

    public SharedQueues queues() {
        return queues;
    }

    public Metrics metrics() {
        return metrics;
    }
}

package io.wasmesh.proxy.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.wasmesh.wasm.engine.GuestFailure;
import java.util.Locale;

/** The attributes of wasmesh's spans and metrics (docs/observability.md). */
public final class TelemetryKeys {
    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("wasmesh.tenant");
    public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("wasmesh.route");
    public static final AttributeKey<String> PLUGIN = AttributeKey.stringKey("wasmesh.plugin");
    public static final AttributeKey<String> PHASE = AttributeKey.stringKey("wasmesh.phase");
    public static final AttributeKey<String> ACTION = AttributeKey.stringKey("wasmesh.action");
    public static final AttributeKey<String> FAILURE = AttributeKey.stringKey("wasmesh.failure");
    public static final AttributeKey<String> DIGEST =
            AttributeKey.stringKey("wasmesh.module.digest");
    public static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("wasmesh.cluster");
    public static final AttributeKey<String> CALL = AttributeKey.stringKey("wasmesh.call");
    public static final AttributeKey<String> RESULT = AttributeKey.stringKey("wasmesh.result");
    public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<Long> STATUS =
            AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> SERVER_ADDRESS =
            AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<Long> RESEND_COUNT =
            AttributeKey.longKey("http.request.resend_count");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private TelemetryKeys() {}

    /** {@code trap}, {@code deadline}, {@code memory_limit}, {@code stack_overflow}, ... */
    public static String failure(GuestFailure.Kind kind) {
        switch (kind) {
            case DEADLINE_EXCEEDED:
                return "deadline";
            case STACK_EXHAUSTED:
                return "stack_overflow";
            default:
                return kind.name().toLowerCase(Locale.ROOT);
        }
    }
}

/*
 * counter - counts requests across all VM instances.
 *
 * Plugin configuration: none (any non-empty key=value line is rejected as an
 * unknown key; blank lines and '#' comments are fine).
 *
 * Per request (on request headers):
 *   - shared data key "requests" (an 8-character zero-padded decimal string,
 *     e.g. "00000042") is incremented with a get / set-with-CAS retry loop,
 *     so concurrent instances never lose an update;
 *   - the counter metric "example_requests_total" (defined once, in
 *     proxy_on_configure) is incremented by 1;
 *   - request header "x-request-count: <new value>" is added, as a plain
 *     decimal number (e.g. "42").
 */
#include "proxy_wasm.h"

static const char shared_key[] = "requests";
static const char metric_name[] = "example_requests_total";

static uint32_t metric_id;
static int metric_defined;

static int on_config_entry(const char *key, const char *value, void *user) {
  (void)value;
  (void)user;
  pw_logf(LogLevel_Error, "counter: unknown config key '%s' (this filter takes none)", key);
  return 0;
}

PROXY_EXPORT(proxy_on_context_create)
void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) {
  (void)context_id;
  (void)parent_context_id;
}

PROXY_EXPORT(proxy_on_vm_start) uint32_t proxy_on_vm_start(uint32_t root_id, size_t vm_config_size) {
  (void)root_id;
  (void)vm_config_size;
  return 1;
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_id, size_t config_size) {
  (void)root_id;
  char *text;
  size_t len;
  if (pw_get_plugin_config(config_size, &text, &len) != WasmResult_Ok) {
    pw_log(LogLevel_Error, "counter: cannot read plugin configuration");
    return 0;
  }
  int ok = pw_config_parse(text, on_config_entry, NULL);
  free(text);
  if (!ok) return 0;

  /* Define the metric only once, even if the plugin is reconfigured. */
  if (!metric_defined) {
    WasmResult r = proxy_define_metric(MetricType_Counter, metric_name, strlen(metric_name),
                                       &metric_id);
    if (r != WasmResult_Ok) {
      pw_logf(LogLevel_Error, "counter: cannot define metric %s (status %u)", metric_name,
              (unsigned)r);
      return 0;
    }
    metric_defined = 1;
  }
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)num_headers;
  (void)end_of_stream;
  if (metric_defined) proxy_increment_metric(metric_id, 1);

  uint32_t count = 0;
  WasmResult r = pw_counter_increment(shared_key, &count);
  if (r != WasmResult_Ok) {
    /* Counting is best effort: never fail the request because of it. */
    pw_logf(LogLevel_Warn, "counter: context %u: cannot update '%s' (status %u)", context_id,
            shared_key, (unsigned)r);
    return Action_Continue;
  }
  char value[16];
  pw_format(value, sizeof value, "%u", count);
  pw_add_header(MapType_HttpRequestHeaders, "x-request-count", value);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) { (void)context_id; }

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) { (void)context_id; }

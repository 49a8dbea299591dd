/*
 * tick - a periodic timer feeding a shared queue.
 *
 * Plugin configuration (plain text, one key=value per line, '#' comments):
 *   period_ms=<n>         tick period in milliseconds (default: 1000; 0 = no ticks)
 * Unknown keys or a non-numeric period reject the configuration.
 *
 * proxy_on_configure sets the tick period and registers the shared queue
 * "tick-events".
 * proxy_on_tick increments shared data key "ticks" (8-character zero-padded
 * decimal, CAS retry loop) and enqueues "tick <n>" (n = new value, plain
 * decimal) on the queue.
 * proxy_on_queue_ready dequeues until the queue is EMPTY, logging each item
 * at INFO as "dequeued: tick <n>".
 * On request headers: adds "x-ticks: <n>", the current value of "ticks" as
 * a plain decimal number, or 0 before the first tick.
 */
#include "proxy_wasm.h"

static const char queue_name[] = "tick-events";
static const char shared_key[] = "ticks";

static uint32_t queue_id;

static int on_config_entry(const char *key, const char *value, void *user) {
  uint32_t *period_ms = user;
  if (strcmp(key, "period_ms") == 0) {
    if (pw_parse_u32(value, period_ms)) return 1;
    pw_logf(LogLevel_Error, "tick: period_ms=%s is not a number", value);
    return 0;
  }
  pw_logf(LogLevel_Error, "tick: unknown config key '%s'", key);
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
    pw_log(LogLevel_Error, "tick: cannot read plugin configuration");
    return 0;
  }
  uint32_t period_ms = 1000;
  int ok = pw_config_parse(text, on_config_entry, &period_ms);
  free(text);
  if (!ok) return 0;

  WasmResult r = proxy_register_shared_queue(queue_name, strlen(queue_name), &queue_id);
  if (r != WasmResult_Ok) {
    pw_logf(LogLevel_Error, "tick: cannot register queue %s (status %u)", queue_name,
            (unsigned)r);
    return 0;
  }
  r = proxy_set_tick_period_milliseconds(period_ms);
  if (r != WasmResult_Ok) {
    pw_logf(LogLevel_Error, "tick: cannot set tick period %u ms (status %u)", period_ms,
            (unsigned)r);
    return 0;
  }
  pw_logf(LogLevel_Info, "tick: period %u ms, queue %s = %u", period_ms, queue_name, queue_id);
  return 1;
}

PROXY_EXPORT(proxy_on_tick) void proxy_on_tick(uint32_t root_id) {
  (void)root_id;
  uint32_t ticks = 0;
  WasmResult r = pw_counter_increment(shared_key, &ticks);
  if (r != WasmResult_Ok) {
    pw_logf(LogLevel_Warn, "tick: cannot update '%s' (status %u)", shared_key, (unsigned)r);
    return;
  }
  char event[32];
  size_t n = pw_format(event, sizeof event, "tick %u", ticks);
  r = proxy_enqueue_shared_queue(queue_id, event, n);
  if (r != WasmResult_Ok)
    pw_logf(LogLevel_Warn, "tick: cannot enqueue '%s' (status %u)", event, (unsigned)r);
}

PROXY_EXPORT(proxy_on_queue_ready) void proxy_on_queue_ready(uint32_t root_id, uint32_t queue) {
  (void)root_id;
  for (;;) {
    char *item = NULL;
    size_t len = 0;
    WasmResult r = proxy_dequeue_shared_queue(queue, &item, &len);
    if (r == WasmResult_Empty) return;
    if (r != WasmResult_Ok) { /* e.g. NOT_FOUND: stop rather than spin */
      pw_logf(LogLevel_Warn, "tick: dequeue from queue %u failed (status %u)", queue,
              (unsigned)r);
      return;
    }
    pw_logf(LogLevel_Info, "dequeued: %.*s", (int)len, item ? item : "");
    free(item);
  }
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  uint32_t ticks = 0;
  pw_counter_get(shared_key, &ticks); /* missing key or error: report 0 */
  char value[16];
  pw_format(value, sizeof value, "%u", ticks);
  pw_add_header(MapType_HttpRequestHeaders, "x-ticks", value);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) { (void)context_id; }

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) { (void)context_id; }

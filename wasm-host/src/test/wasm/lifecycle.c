/*
 * lifecycle.wasm - test fixture that records every callback the host makes.
 *
 * Every proxy_on_* callback logs one INFO line "<callback_name> <args...>"
 * with its arguments in decimal, e.g. "proxy_on_context_create 2 1" or
 * "proxy_on_request_headers 2 3 0", and otherwise does nothing:
 *   - action-returning callbacks return 0 (CONTINUE),
 *   - proxy_on_done returns 1, proxy_on_vm_start returns 1,
 *   - proxy_on_configure returns 1, unless the plugin configuration is
 *     exactly the text "reject": then it also logs "rejected: bad config" at
 *     ERROR and returns 0.
 * proxy_on_vm_start also writes "hello from stdout\n" to fd 1 with WASI
 * fd_write (so the module imports wasi_snapshot_preview1.fd_write).
 *
 * Built by scripts/build-wasm.sh as a WASI reactor (exports _initialize),
 * with -I filter-sdk/examples/c for proxy_wasm.h.
 */
#include <wasi/api.h>

#include "proxy_wasm.h"

#define LOG_CALL(...) pw_logf(LogLevel_Info, __VA_ARGS__)

/* Writes straight to the WASI stdout so hosts can test fd_write routing. */
static void write_stdout(const char *text) {
  __wasi_ciovec_t iov = {.buf = (const uint8_t *)text, .buf_len = strlen(text)};
  __wasi_size_t written = 0;
  __wasi_errno_t err = __wasi_fd_write(1, &iov, 1, &written);
  (void)err; /* best effort: the log line already recorded the call */
}

/* 1 if the plugin configuration is exactly "reject". */
static int config_is_reject(size_t config_size) {
  char *text;
  size_t len;
  if (config_size == 0 || pw_get_plugin_config(config_size, &text, &len) != WasmResult_Ok)
    return 0;
  int reject = len == 6 && memcmp(text, "reject", 6) == 0;
  free(text);
  return reject;
}

PROXY_EXPORT(proxy_on_vm_start) uint32_t proxy_on_vm_start(uint32_t root_id, size_t vm_config_size) {
  LOG_CALL("proxy_on_vm_start %u %zu", root_id, vm_config_size);
  write_stdout("hello from stdout\n");
  return 1;
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_id, size_t config_size) {
  LOG_CALL("proxy_on_configure %u %zu", root_id, config_size);
  if (config_is_reject(config_size)) {
    pw_log(LogLevel_Error, "rejected: bad config");
    return 0;
  }
  return 1;
}

PROXY_EXPORT(proxy_on_context_create)
void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) {
  LOG_CALL("proxy_on_context_create %u %u", context_id, parent_context_id);
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  LOG_CALL("proxy_on_request_headers %u %zu %u", context_id, num_headers, end_of_stream);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_request_body)
Action proxy_on_request_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  LOG_CALL("proxy_on_request_body %u %zu %u", context_id, body_size, end_of_stream);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_request_trailers)
Action proxy_on_request_trailers(uint32_t context_id, size_t num_trailers) {
  LOG_CALL("proxy_on_request_trailers %u %zu", context_id, num_trailers);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_headers)
Action proxy_on_response_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  LOG_CALL("proxy_on_response_headers %u %zu %u", context_id, num_headers, end_of_stream);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_body)
Action proxy_on_response_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  LOG_CALL("proxy_on_response_body %u %zu %u", context_id, body_size, end_of_stream);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_trailers)
Action proxy_on_response_trailers(uint32_t context_id, size_t num_trailers) {
  LOG_CALL("proxy_on_response_trailers %u %zu", context_id, num_trailers);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t root_id, uint32_t token, size_t num_headers,
                                 size_t body_size, size_t num_trailers) {
  LOG_CALL("proxy_on_http_call_response %u %u %zu %zu %zu", root_id, token, num_headers,
           body_size, num_trailers);
}

PROXY_EXPORT(proxy_on_tick) void proxy_on_tick(uint32_t root_id) {
  LOG_CALL("proxy_on_tick %u", root_id);
}

PROXY_EXPORT(proxy_on_queue_ready) void proxy_on_queue_ready(uint32_t root_id, uint32_t queue_id) {
  LOG_CALL("proxy_on_queue_ready %u %u", root_id, queue_id);
}

PROXY_EXPORT(proxy_on_foreign_function)
void proxy_on_foreign_function(uint32_t root_id, uint32_t function_id, size_t args_size) {
  LOG_CALL("proxy_on_foreign_function %u %u %zu", root_id, function_id, args_size);
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  LOG_CALL("proxy_on_done %u", context_id);
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) {
  LOG_CALL("proxy_on_log %u", context_id);
}

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) {
  LOG_CALL("proxy_on_delete %u", context_id);
}

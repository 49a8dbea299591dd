/*
 * proxy_wasm.h - a tiny, header-only C binding for the Proxy-Wasm ABI 0.2.1.
 *
 * Meant for filters compiled as WASI reactors against wasi-libc:
 *
 *   clang --target=wasm32-wasi -O2 -mexec-model=reactor \
 *         -Wl,--export=proxy_on_memory_allocate -Wl,--strip-all -o f.wasm f.c
 *
 * What it gives you:
 *   - every env.proxy_* host function of ABI 0.2.1, with its exact signature
 *     (all i32 except the i64 metric values); only the ones a filter actually
 *     calls end up as imports of the module,
 *   - the ABI enums (WasmResult, MapType, BufferType, LogLevel, Action,
 *     StreamType, MetricType),
 *   - the two exports every filter needs (the ABI marker and
 *     proxy_on_memory_allocate = malloc); define PROXY_WASM_CUSTOM_ALLOCATOR
 *     before including this file to provide your own allocator,
 *   - small helpers: logging, header get/add/replace/remove, reading the
 *     plugin configuration, "key=value" config parsing, header-map
 *     (de)serialization, local responses, a per-context state table and a
 *     shared-data counter with a CAS retry loop.
 *
 * Memory ownership: every byte buffer the host returns (header values, body
 * bytes, configuration, shared data, queue items...) was allocated through
 * proxy_on_memory_allocate, i.e. malloc. The guest owns it and must free() it.
 *
 * All helpers are static inline: a module only contains what it uses.
 * A module is one translation unit, so the non-static exports below are fine.
 */
#ifndef WASMESH_PROXY_WASM_H
#define WASMESH_PROXY_WASM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROXY_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define PROXY_EXPORT(name) __attribute__((export_name(#name)))

/* Number of elements of a C array. */
#define PW_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* ------------------------------------------------------------------------ */
/* Enums (numeric values fixed by the ABI)                                  */
/* ------------------------------------------------------------------------ */

typedef enum {
  WasmResult_Ok = 0,
  WasmResult_NotFound = 1,
  WasmResult_BadArgument = 2,
  WasmResult_SerializationFailure = 3,
  WasmResult_ParseFailure = 4,
  WasmResult_BadExpression = 5,
  WasmResult_InvalidMemoryAccess = 6,
  WasmResult_Empty = 7,
  WasmResult_CasMismatch = 8,
  WasmResult_ResultMismatch = 9,
  WasmResult_InternalFailure = 10,
  WasmResult_BrokenConnection = 11,
  WasmResult_Unimplemented = 12,
} WasmResult;

typedef enum {
  MapType_HttpRequestHeaders = 0,
  MapType_HttpRequestTrailers = 1,
  MapType_HttpResponseHeaders = 2,
  MapType_HttpResponseTrailers = 3,
  MapType_GrpcCallInitialMetadata = 4,
  MapType_GrpcCallTrailingMetadata = 5,
  MapType_HttpCallResponseHeaders = 6,
  MapType_HttpCallResponseTrailers = 7,
} MapType;

typedef enum {
  BufferType_HttpRequestBody = 0,
  BufferType_HttpResponseBody = 1,
  BufferType_DownstreamData = 2,
  BufferType_UpstreamData = 3,
  BufferType_HttpCallResponseBody = 4,
  BufferType_GrpcCallMessage = 5,
  BufferType_VmConfiguration = 6,
  BufferType_PluginConfiguration = 7,
  BufferType_ForeignFunctionArguments = 8,
} BufferType;

typedef enum {
  LogLevel_Trace = 0,
  LogLevel_Debug = 1,
  LogLevel_Info = 2,
  LogLevel_Warn = 3,
  LogLevel_Error = 4,
  LogLevel_Critical = 5,
} LogLevel;

typedef enum {
  Action_Continue = 0,
  Action_Pause = 1,
} Action;

typedef enum {
  StreamType_HttpRequest = 0,
  StreamType_HttpResponse = 1,
  StreamType_Downstream = 2,
  StreamType_Upstream = 3,
} StreamType;

typedef enum {
  MetricType_Counter = 0,
  MetricType_Gauge = 1,
  MetricType_Histogram = 2,
} MetricType;

/* grpc_status argument of proxy_send_local_response meaning "not gRPC". */
#define PROXY_GRPC_STATUS_NONE ((uint32_t)-1)

/* ------------------------------------------------------------------------ */
/* Host functions, module "env" (ABI 0.2.1)                                 */
/* Pointers and sizes are wasm32 i32; "ret_*" are out-parameters the host   */
/* writes to.                                                               */
/* ------------------------------------------------------------------------ */

/* Contexts */
PROXY_IMPORT(proxy_done) WasmResult proxy_done(void);
PROXY_IMPORT(proxy_set_effective_context) WasmResult proxy_set_effective_context(uint32_t context_id);

/* Logging and time */
PROXY_IMPORT(proxy_log) WasmResult proxy_log(LogLevel level, const char *msg, size_t msg_len);
PROXY_IMPORT(proxy_get_log_level) WasmResult proxy_get_log_level(LogLevel *ret_level);
PROXY_IMPORT(proxy_get_current_time_nanoseconds)
WasmResult proxy_get_current_time_nanoseconds(uint64_t *ret_time);
PROXY_IMPORT(proxy_set_tick_period_milliseconds)
WasmResult proxy_set_tick_period_milliseconds(uint32_t period_ms);

/* Buffers (bodies, configuration, HTTP call response body...) */
PROXY_IMPORT(proxy_get_buffer_bytes)
WasmResult proxy_get_buffer_bytes(BufferType type, size_t start, size_t max_size, char **ret_data,
                                  size_t *ret_size);
PROXY_IMPORT(proxy_set_buffer_bytes)
WasmResult proxy_set_buffer_bytes(BufferType type, size_t start, size_t size, const char *data,
                                  size_t data_len);
PROXY_IMPORT(proxy_get_buffer_status)
WasmResult proxy_get_buffer_status(BufferType type, size_t *ret_size, uint32_t *ret_flags);

/* Header maps */
PROXY_IMPORT(proxy_get_header_map_size)
WasmResult proxy_get_header_map_size(MapType type, size_t *ret_size);
PROXY_IMPORT(proxy_get_header_map_pairs)
WasmResult proxy_get_header_map_pairs(MapType type, char **ret_data, size_t *ret_size);
PROXY_IMPORT(proxy_set_header_map_pairs)
WasmResult proxy_set_header_map_pairs(MapType type, const char *data, size_t size);
PROXY_IMPORT(proxy_get_header_map_value)
WasmResult proxy_get_header_map_value(MapType type, const char *key, size_t key_len,
                                      char **ret_value, size_t *ret_value_len);
PROXY_IMPORT(proxy_add_header_map_value)
WasmResult proxy_add_header_map_value(MapType type, const char *key, size_t key_len,
                                      const char *value, size_t value_len);
PROXY_IMPORT(proxy_replace_header_map_value)
WasmResult proxy_replace_header_map_value(MapType type, const char *key, size_t key_len,
                                          const char *value, size_t value_len);
PROXY_IMPORT(proxy_remove_header_map_value)
WasmResult proxy_remove_header_map_value(MapType type, const char *key, size_t key_len);

/* Stream control */
PROXY_IMPORT(proxy_continue_stream) WasmResult proxy_continue_stream(StreamType type);
PROXY_IMPORT(proxy_close_stream) WasmResult proxy_close_stream(StreamType type);
PROXY_IMPORT(proxy_get_status)
WasmResult proxy_get_status(uint32_t *ret_code, char **ret_message, size_t *ret_message_len);
PROXY_IMPORT(proxy_send_local_response)
WasmResult proxy_send_local_response(uint32_t status_code, const char *details, size_t details_len,
                                     const char *body, size_t body_len, const char *headers,
                                     size_t headers_len, uint32_t grpc_status);

/* Outgoing HTTP calls */
PROXY_IMPORT(proxy_http_call)
WasmResult proxy_http_call(const char *upstream, size_t upstream_len, const char *headers,
                           size_t headers_len, const char *body, size_t body_len,
                           const char *trailers, size_t trailers_len, uint32_t timeout_ms,
                           uint32_t *ret_token);

/* gRPC */
PROXY_IMPORT(proxy_grpc_call)
WasmResult proxy_grpc_call(const char *upstream, size_t upstream_len, const char *service,
                           size_t service_len, const char *method, size_t method_len,
                           const char *initial_metadata, size_t initial_metadata_len,
                           const char *message, size_t message_len, uint32_t timeout_ms,
                           uint32_t *ret_token);
PROXY_IMPORT(proxy_grpc_stream)
WasmResult proxy_grpc_stream(const char *upstream, size_t upstream_len, const char *service,
                             size_t service_len, const char *method, size_t method_len,
                             const char *initial_metadata, size_t initial_metadata_len,
                             uint32_t *ret_token);
PROXY_IMPORT(proxy_grpc_send)
WasmResult proxy_grpc_send(uint32_t token, const char *message, size_t message_len,
                           uint32_t end_stream);
PROXY_IMPORT(proxy_grpc_cancel) WasmResult proxy_grpc_cancel(uint32_t token);
PROXY_IMPORT(proxy_grpc_close) WasmResult proxy_grpc_close(uint32_t token);

/* Shared key/value store */
PROXY_IMPORT(proxy_get_shared_data)
WasmResult proxy_get_shared_data(const char *key, size_t key_len, char **ret_value,
                                 size_t *ret_value_len, uint32_t *ret_cas);
PROXY_IMPORT(proxy_set_shared_data)
WasmResult proxy_set_shared_data(const char *key, size_t key_len, const char *value,
                                 size_t value_len, uint32_t cas);

/* Shared queues */
PROXY_IMPORT(proxy_register_shared_queue)
WasmResult proxy_register_shared_queue(const char *name, size_t name_len, uint32_t *ret_queue_id);
PROXY_IMPORT(proxy_resolve_shared_queue)
WasmResult proxy_resolve_shared_queue(const char *vm_id, size_t vm_id_len, const char *name,
                                      size_t name_len, uint32_t *ret_queue_id);
PROXY_IMPORT(proxy_enqueue_shared_queue)
WasmResult proxy_enqueue_shared_queue(uint32_t queue_id, const char *value, size_t value_len);
PROXY_IMPORT(proxy_dequeue_shared_queue)
WasmResult proxy_dequeue_shared_queue(uint32_t queue_id, char **ret_value, size_t *ret_value_len);

/* Metrics (the only i64 parameters of the ABI) */
PROXY_IMPORT(proxy_define_metric)
WasmResult proxy_define_metric(MetricType type, const char *name, size_t name_len,
                               uint32_t *ret_metric_id);
PROXY_IMPORT(proxy_record_metric) WasmResult proxy_record_metric(uint32_t metric_id, uint64_t value);
PROXY_IMPORT(proxy_increment_metric)
WasmResult proxy_increment_metric(uint32_t metric_id, int64_t delta);
PROXY_IMPORT(proxy_get_metric) WasmResult proxy_get_metric(uint32_t metric_id, uint64_t *ret_value);

/* Properties and foreign functions */
PROXY_IMPORT(proxy_get_property)
WasmResult proxy_get_property(const char *path, size_t path_len, char **ret_value,
                              size_t *ret_value_len);
PROXY_IMPORT(proxy_set_property)
WasmResult proxy_set_property(const char *path, size_t path_len, const char *value,
                              size_t value_len);
PROXY_IMPORT(proxy_call_foreign_function)
WasmResult proxy_call_foreign_function(const char *name, size_t name_len, const char *args,
                                       size_t args_len, char **ret_results,
                                       size_t *ret_results_len);

/* ------------------------------------------------------------------------ */
/* Mandatory exports                                                        */
/* ------------------------------------------------------------------------ */

/* The host picks the ABI version from this (never called) marker export. */
PROXY_EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}

#ifndef PROXY_WASM_CUSTOM_ALLOCATOR
/* The host allocates every buffer it hands to us through this export, so
 * host-returned buffers are ordinary malloc() blocks that we free(). */
PROXY_EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) {
  return malloc(size);
}
#endif

/* ------------------------------------------------------------------------ */
/* Logging                                                                  */
/* ------------------------------------------------------------------------ */

/* A deliberately tiny printf subset: %s %.*s %c %d %u %zu %zd %% and a
 * zero-padded width for integers ("%08u"). We avoid wasi-libc's stdio
 * because vsnprintf drags in FILE machinery, ~20 KB of code and the
 * fd_write/fd_seek/fd_close WASI imports into every filter. */
typedef struct {
  char *out;
  size_t cap;
  size_t len; /* length the full output needs; may exceed cap */
} pw_fmt_sink;

static inline void pw_fmt_putc(pw_fmt_sink *s, char c) {
  if (s->len + 1 < s->cap) s->out[s->len] = c;
  s->len++;
}

static inline void pw_fmt_uint(pw_fmt_sink *s, uint64_t v, int width, char pad) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (; width > n; width--) pw_fmt_putc(s, pad);
  while (n > 0) pw_fmt_putc(s, digits[--n]);
}

/* Like vsnprintf for the subset above: writes at most cap-1 chars plus a
 * NUL and returns the length the whole output needs. */
static inline size_t pw_vformat(char *out, size_t cap, const char *fmt, va_list ap) {
  pw_fmt_sink s = {out, cap, 0};
  for (; *fmt != '\0'; fmt++) {
    if (*fmt != '%') {
      pw_fmt_putc(&s, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0, precision = -1, is_size = 0;
    if (*fmt == '0') pad = *fmt++;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    if (fmt[0] == '.' && fmt[1] == '*') {
      precision = va_arg(ap, int);
      fmt += 2;
    }
    if (*fmt == 'z') {
      is_size = 1;
      fmt++;
    }
    switch (*fmt) {
    case 's': {
      const char *str = va_arg(ap, const char *);
      if (str == NULL) str = "(null)";
      for (int i = 0; str[i] != '\0' && (precision < 0 || i < precision); i++)
        pw_fmt_putc(&s, str[i]);
      break;
    }
    case 'u':
      pw_fmt_uint(&s, is_size ? va_arg(ap, size_t) : va_arg(ap, unsigned), width, pad);
      break;
    case 'd': {
      int64_t v = is_size ? (int64_t)(ptrdiff_t)va_arg(ap, size_t) : va_arg(ap, int);
      if (v < 0) pw_fmt_putc(&s, '-');
      pw_fmt_uint(&s, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0 ? width - 1 : width, pad);
      break;
    }
    case 'c':
      pw_fmt_putc(&s, (char)va_arg(ap, int));
      break;
    case '\0': /* a lone '%' at the end */
      fmt--;
      break;
    default: /* "%%" and anything unsupported is copied literally */
      pw_fmt_putc(&s, *fmt);
      break;
    }
  }
  if (cap > 0) out[s.len < cap ? s.len : cap - 1] = '\0';
  return s.len;
}

__attribute__((format(printf, 3, 4))) static inline size_t pw_format(char *out, size_t cap,
                                                                      const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t n = pw_vformat(out, cap, fmt, ap);
  va_end(ap);
  return n;
}

static inline WasmResult pw_log(LogLevel level, const char *msg) {
  return proxy_log(level, msg, strlen(msg));
}

/* printf-style logging (see pw_vformat for the supported subset). Short
 * messages are formatted on the stack; longer ones get a heap buffer so
 * nothing is ever truncated. */
__attribute__((format(printf, 2, 3))) static inline WasmResult pw_logf(LogLevel level,
                                                                        const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  size_t n = pw_vformat(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < sizeof small) return proxy_log(level, small, n);

  char *big = malloc(n + 1);
  if (big == NULL) return proxy_log(level, small, sizeof small - 1); /* best effort */
  va_start(ap, fmt);
  pw_vformat(big, n + 1, fmt, ap);
  va_end(ap);
  WasmResult r = proxy_log(level, big, n);
  free(big);
  return r;
}

/* ------------------------------------------------------------------------ */
/* Host-returned buffers                                                    */
/* ------------------------------------------------------------------------ */

/* Turns a host-returned (ptr, len) into a NUL-terminated heap string we own.
 * Hosts may return (0, 0) for empty values without allocating, and the
 * allocation they made has no room for a terminator, so we reallocate.
 * Returns NULL only when out of memory (the original buffer is then freed). */
static inline char *pw_take_buffer(char *data, size_t len) {
  char *s = realloc(data, len + 1);
  if (s == NULL) {
    free(data);
    return NULL;
  }
  s[len] = '\0';
  return s;
}

/* Heap copy of s[0..n) plus a NUL (strndup is POSIX, not C11). */
static inline char *pw_strndup(const char *s, size_t n) {
  size_t len = 0;
  while (len < n && s[len] != '\0') len++;
  char *copy = malloc(len + 1);
  if (copy == NULL) return NULL;
  memcpy(copy, s, len);
  copy[len] = '\0';
  return copy;
}

/* ------------------------------------------------------------------------ */
/* Headers (C-string convenience wrappers)                                  */
/* ------------------------------------------------------------------------ */

/* Reads one header value. On WasmResult_Ok *value is a NUL-terminated heap
 * copy the caller must free() ("" for an empty value); on any other status
 * (NotFound when the header is absent) *value is NULL. */
static inline WasmResult pw_get_header(MapType map, const char *name, char **value,
                                       size_t *value_len) {
  char *data = NULL;
  size_t len = 0;
  WasmResult r = proxy_get_header_map_value(map, name, strlen(name), &data, &len);
  if (r != WasmResult_Ok) {
    *value = NULL;
    if (value_len) *value_len = 0;
    return r;
  }
  *value = pw_take_buffer(data, len);
  if (value_len) *value_len = len;
  return *value ? WasmResult_Ok : WasmResult_InternalFailure;
}

static inline WasmResult pw_add_header(MapType map, const char *name, const char *value) {
  return proxy_add_header_map_value(map, name, strlen(name), value, strlen(value));
}

static inline WasmResult pw_replace_header(MapType map, const char *name, const char *value) {
  return proxy_replace_header_map_value(map, name, strlen(name), value, strlen(value));
}

static inline WasmResult pw_remove_header(MapType map, const char *name) {
  return proxy_remove_header_map_value(map, name, strlen(name));
}

/* ------------------------------------------------------------------------ */
/* Plugin configuration                                                     */
/* ------------------------------------------------------------------------ */

/* Reads the whole plugin configuration (valid inside proxy_on_configure).
 * *text is a NUL-terminated heap copy to free(), "" when the size is 0. */
static inline WasmResult pw_get_plugin_config(size_t config_size, char **text, size_t *len) {
  char *data = NULL;
  size_t n = 0;
  *text = NULL;
  *len = 0;
  if (config_size > 0) {
    WasmResult r =
        proxy_get_buffer_bytes(BufferType_PluginConfiguration, 0, config_size, &data, &n);
    if (r != WasmResult_Ok) return r;
  }
  *text = pw_take_buffer(data, n);
  if (*text == NULL) return WasmResult_InternalFailure;
  *len = n;
  return WasmResult_Ok;
}

/* Called once per "key=value" line with both parts trimmed and
 * NUL-terminated. Return 1 to accept the entry, 0 to reject the whole
 * configuration (the callback is expected to log why). */
typedef int (*pw_config_entry_fn)(const char *key, const char *value, void *user);

static inline int pw_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims ASCII whitespace in place; returns the new start. */
static inline char *pw_trim(char *s) {
  while (pw_is_space(*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && pw_is_space(s[n - 1])) s[--n] = '\0';
  return s;
}

/* Parses plain-text configuration: one "key=value" per line. Blank lines and
 * lines starting with '#' are ignored. A line without '=' is an error.
 * Modifies `text` in place. Returns 1 if every entry was accepted. */
static inline int pw_config_parse(char *text, pw_config_entry_fn fn, void *user) {
  char *line = text;
  while (line != NULL && *line != '\0') {
    char *next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    char *entry = pw_trim(line);
    if (*entry != '\0' && *entry != '#') {
      char *eq = strchr(entry, '=');
      if (eq == NULL) {
        pw_logf(LogLevel_Error, "config: line without '=': %s", entry);
        return 0;
      }
      *eq = '\0';
      if (!fn(pw_trim(entry), pw_trim(eq + 1), user)) return 0;
    }
    line = next;
  }
  return 1;
}

/* Strict decimal parser for config values: digits only, fits in uint32. */
static inline int pw_parse_u32(const char *s, uint32_t *out) {
  uint64_t v = 0;
  if (*s == '\0') return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (uint64_t)(*s - '0');
    if (v > UINT32_MAX) return 0;
  }
  *out = (uint32_t)v;
  return 1;
}

/* HTTP header names are case-insensitive and hosts store them lower-case
 * (HTTP/2 style), so configured names are normalised the same way. */
static inline void pw_lowercase(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

/* ------------------------------------------------------------------------ */
/* Header-map serialization (ABI format)                                    */
/*   u32 count, count x (u32 key_len, u32 value_len),                       */
/*   then count x (key bytes, '\0', value bytes, '\0'); little-endian.      */
/* ------------------------------------------------------------------------ */

typedef struct {
  const char *key;
  const char *value;
} pw_header; /* C strings, for building maps */

typedef struct {
  const char *key;
  size_t key_len;
  const char *value;
  size_t value_len;
} pw_header_view; /* points into a serialized map */

static inline void pw_put_u32(char *p, uint32_t v) {
  p[0] = (char)(v & 0xff);
  p[1] = (char)((v >> 8) & 0xff);
  p[2] = (char)((v >> 16) & 0xff);
  p[3] = (char)((v >> 24) & 0xff);
}

static inline uint32_t pw_get_u32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | ((uint32_t)u[1] << 8) | ((uint32_t)u[2] << 16) | ((uint32_t)u[3] << 24);
}

/* Serializes `count` headers into a new heap buffer (*out, free() it).
 * Returns the size in bytes, or 0 when out of memory (*out = NULL). */
static inline size_t pw_serialize_headers(const pw_header *headers, size_t count, char **out) {
  size_t size = 4 + count * 8;
  for (size_t i = 0; i < count; i++)
    size += strlen(headers[i].key) + 1 + strlen(headers[i].value) + 1;

  char *buf = malloc(size);
  *out = buf;
  if (buf == NULL) return 0;

  pw_put_u32(buf, (uint32_t)count);
  char *sizes = buf + 4;
  char *data = buf + 4 + count * 8;
  for (size_t i = 0; i < count; i++) {
    size_t kl = strlen(headers[i].key), vl = strlen(headers[i].value);
    pw_put_u32(sizes + i * 8, (uint32_t)kl);
    pw_put_u32(sizes + i * 8 + 4, (uint32_t)vl);
    memcpy(data, headers[i].key, kl + 1); /* copies the '\0' too */
    data += kl + 1;
    memcpy(data, headers[i].value, vl + 1);
    data += vl + 1;
  }
  return size;
}

/* Parses a serialized map. On success returns the number of pairs and sets
 * *out to a heap array of views into `data` (free() the array, keep `data`
 * alive while using it). An empty input (size 0) is an empty map.
 * Returns -1 if the bytes are not a well-formed map. */
static inline long pw_parse_headers(const char *data, size_t size, pw_header_view **out) {
  *out = NULL;
  if (size == 0) return 0;
  if (size < 4) return -1;
  uint32_t count = pw_get_u32(data);
  /* Check with 64-bit arithmetic so a hostile count cannot overflow. */
  if ((uint64_t)count * 8 + 4 > size) return -1;
  if (count == 0) return 0;

  pw_header_view *views = malloc(count * sizeof *views);
  if (views == NULL) return -1;
  size_t pos = 4 + (size_t)count * 8;
  for (uint32_t i = 0; i < count; i++) {
    uint64_t kl = pw_get_u32(data + 4 + i * 8);
    uint64_t vl = pw_get_u32(data + 4 + i * 8 + 4);
    if (pos + kl + 1 + vl + 1 > size || data[pos + kl] != '\0' ||
        data[pos + kl + 1 + vl] != '\0') {
      free(views);
      return -1;
    }
    views[i].key = data + pos;
    views[i].key_len = (size_t)kl;
    views[i].value = data + pos + kl + 1;
    views[i].value_len = (size_t)vl;
    pos += (size_t)(kl + 1 + vl + 1);
  }
  *out = views;
  return (long)count;
}

/* ------------------------------------------------------------------------ */
/* Local responses                                                          */
/* ------------------------------------------------------------------------ */

/* Sends a response generated by the filter instead of the upstream's. The
 * callback that calls this should then return Action_Pause. */
static inline WasmResult pw_send_local_response(uint32_t status, const char *details,
                                                const char *body, size_t body_len,
                                                const pw_header *headers, size_t header_count) {
  char *map = NULL;
  size_t map_len = pw_serialize_headers(headers, header_count, &map);
  if (map == NULL) return WasmResult_InternalFailure;
  WasmResult r = proxy_send_local_response(status, details, strlen(details), body, body_len, map,
                                           map_len, PROXY_GRPC_STATUS_NONE);
  free(map);
  return r;
}

/* ------------------------------------------------------------------------ */
/* Per-context state table                                                  */
/* ------------------------------------------------------------------------ */

/* A small growable table mapping a context id to a calloc'ed state block.
 * Filters put per-stream state here and free it in proxy_on_delete. */
typedef struct {
  uint32_t id;
  void *state;
} pw_ctx_slot;

static pw_ctx_slot *pw_ctx_slots;
static size_t pw_ctx_count, pw_ctx_capacity;

static inline void *pw_ctx_get(uint32_t id) {
  for (size_t i = 0; i < pw_ctx_count; i++)
    if (pw_ctx_slots[i].id == id) return pw_ctx_slots[i].state;
  return NULL;
}

/* Returns the state of `id`, creating a zeroed block of `size` bytes if the
 * context has none yet. NULL when out of memory. */
static inline void *pw_ctx_get_or_create(uint32_t id, size_t size) {
  void *state = pw_ctx_get(id);
  if (state != NULL) return state;
  if (pw_ctx_count == pw_ctx_capacity) {
    size_t cap = pw_ctx_capacity ? pw_ctx_capacity * 2 : 16;
    pw_ctx_slot *grown = realloc(pw_ctx_slots, cap * sizeof *grown);
    if (grown == NULL) return NULL;
    pw_ctx_slots = grown;
    pw_ctx_capacity = cap;
  }
  state = calloc(1, size);
  if (state == NULL) return NULL;
  pw_ctx_slots[pw_ctx_count].id = id;
  pw_ctx_slots[pw_ctx_count].state = state;
  pw_ctx_count++;
  return state;
}

/* Frees the state of `id` (no-op if it has none). */
static inline void pw_ctx_free(uint32_t id) {
  for (size_t i = 0; i < pw_ctx_count; i++) {
    if (pw_ctx_slots[i].id == id) {
      free(pw_ctx_slots[i].state);
      pw_ctx_slots[i] = pw_ctx_slots[--pw_ctx_count]; /* order does not matter */
      return;
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Shared-data counters                                                     */
/* ------------------------------------------------------------------------ */

/* Counters live in shared data as 8-character zero-padded decimal strings
 * ("00000042"); wider values simply use more digits. */
#define PW_COUNTER_MAX_ATTEMPTS 100

/* Parses the leading decimal digits of a (ptr, len) value; 0 if none. */
static inline uint32_t pw_counter_parse(const char *data, size_t len) {
  uint32_t v = 0;
  for (size_t i = 0; i < len && data[i] >= '0' && data[i] <= '9'; i++)
    v = v * 10 + (uint32_t)(data[i] - '0');
  return v;
}

/* Reads a counter; a missing key reads as 0. */
static inline WasmResult pw_counter_get(const char *key, uint32_t *value) {
  char *data = NULL;
  size_t len = 0;
  uint32_t cas = 0;
  WasmResult r = proxy_get_shared_data(key, strlen(key), &data, &len, &cas);
  *value = 0;
  if (r == WasmResult_NotFound) return WasmResult_Ok;
  if (r != WasmResult_Ok) return r;
  *value = pw_counter_parse(data, len);
  free(data);
  return WasmResult_Ok;
}

/* Atomically adds 1 to a counter: read value+cas, write value+1 with that
 * cas, and start over when another writer got in between (CAS_MISMATCH).
 * A missing key starts from 0 with cas 0. */
static inline WasmResult pw_counter_increment(const char *key, uint32_t *new_value) {
  for (int attempt = 0; attempt < PW_COUNTER_MAX_ATTEMPTS; attempt++) {
    char *data = NULL;
    size_t len = 0;
    uint32_t cas = 0, value = 0;
    WasmResult r = proxy_get_shared_data(key, strlen(key), &data, &len, &cas);
    if (r == WasmResult_NotFound) {
      cas = 0;
    } else if (r == WasmResult_Ok) {
      value = pw_counter_parse(data, len);
      free(data);
    } else {
      return r;
    }

    char text[16];
    size_t n = pw_format(text, sizeof text, "%08u", (unsigned)(value + 1));
    r = proxy_set_shared_data(key, strlen(key), text, n, cas);
    if (r == WasmResult_Ok) {
      *new_value = value + 1;
      return WasmResult_Ok;
    }
    if (r != WasmResult_CasMismatch) return r;
  }
  return WasmResult_CasMismatch;
}

#endif /* WASMESH_PROXY_WASM_H */

/*
 * hostile.wasm - test fixture that misbehaves on demand.
 *
 * Plugin configuration: "<mode> <callback>" (surrounding whitespace ignored).
 * Empty configuration = a well-behaved filter that returns CONTINUE (and 1
 * from on_vm_start/on_configure/on_done) everywhere. An unknown mode or
 * callback makes proxy_on_configure log an ERROR and return 0.
 *
 * <callback>: on_vm_start on_configure on_context_create on_request_headers
 *   on_request_body on_response_headers on_response_body on_log on_done
 *   on_delete on_http_call_response on_tick
 *
 * <mode>:
 *   loop          spins forever (a volatile counter keeps the loop alive)
 *   trap          executes `unreachable`
 *   recurse       unbounded, non-tail recursion of a tiny function that uses
 *                 no linear-memory stack: it exhausts the engine's call stack
 *                 (not the 64 KiB C shadow stack)
 *   grow          memory.grow by 1 page until the host refuses (-1), logs
 *                 "grow pages <n>" and returns normally
 *   oob_ptr       passes out-of-bounds pointers to proxy_log,
 *                 proxy_add_header_map_value and proxy_get_header_map_value,
 *                 logs "oob_ptr results <s1> <s2> <s3>", returns normally
 *   huge_size     proxy_get_buffer_bytes(PLUGIN_CONFIGURATION, 0, 0xFFFFFFFF),
 *                 proxy_get_header_map_pairs(REQUEST_HEADERS) and
 *                 proxy_log(INFO, <pairs or a static buffer>, 0xFFFFFFFF),
 *                 logs "huge_size results <s1> <s2> <s3>", returns normally
 *   huge_log      logs one 4 MiB message, then "huge_log result <s>"
 *   alloc_zero    from the moment the configuration is parsed,
 *                 proxy_on_memory_allocate returns 0; in <callback> the filter
 *                 calls proxy_get_header_map_value(REQUEST_HEADERS, ":path")
 *                 and logs "alloc results <s>"
 *   alloc_garbage same, but the allocator returns 0xFFFFFF00
 * Statuses are logged in decimal at INFO. With on_tick as the callback the filter
 * asks for a tick every 10 ms.
 *
 * Until proxy_on_configure has parsed the configuration every callback is
 * well behaved. proxy_on_vm_start reads nothing and runs before
 * proxy_on_configure, so "<mode> on_vm_start" only fires if a host calls
 * proxy_on_vm_start again after proxy_on_configure.
 *
 * Built by scripts/build-wasm.sh as a WASI reactor (exports _initialize),
 * with -I filter-sdk/examples/c for proxy_wasm.h.
 */
#define PROXY_WASM_CUSTOM_ALLOCATOR /* the allocator itself can misbehave */
#include "proxy_wasm.h"

typedef enum {
  MODE_NONE,
  MODE_LOOP,
  MODE_TRAP,
  MODE_RECURSE,
  MODE_GROW,
  MODE_OOB_PTR,
  MODE_HUGE_SIZE,
  MODE_HUGE_LOG,
  MODE_ALLOC_ZERO,
  MODE_ALLOC_GARBAGE,
} misbehaviour_t;

static const char *const mode_names[] = {
    "", "loop", "trap", "recurse", "grow", "oob_ptr", "huge_size", "huge_log", "alloc_zero",
    "alloc_garbage",
};

typedef enum {
  CB_VM_START,
  CB_CONFIGURE,
  CB_CONTEXT_CREATE,
  CB_REQUEST_HEADERS,
  CB_REQUEST_BODY,
  CB_RESPONSE_HEADERS,
  CB_RESPONSE_BODY,
  CB_LOG,
  CB_DONE,
  CB_DELETE,
  CB_HTTP_CALL_RESPONSE,
  CB_TICK,
} callback_t;

static const char *const callback_names[] = {
    "on_vm_start",     "on_configure",  "on_context_create",  "on_request_headers",
    "on_request_body", "on_response_headers", "on_response_body", "on_log",
    "on_done",         "on_delete",     "on_http_call_response", "on_tick",
};

static misbehaviour_t mode = MODE_NONE;
static callback_t target;

#define GARBAGE_POINTER ((void *)(uintptr_t)0xFFFFFF00u)
#define HUGE_LOG_SIZE ((size_t)4 << 20)

/* ------------------------------------------------------------------------ */
/* Allocator                                                                */
/* ------------------------------------------------------------------------ */

PROXY_EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) {
  if (mode == MODE_ALLOC_ZERO) return NULL;
  if (mode == MODE_ALLOC_GARBAGE) return GARBAGE_POINTER;
  return malloc(size);
}

/* ------------------------------------------------------------------------ */
/* Misbehaviours                                                            */
/* ------------------------------------------------------------------------ */

static void spin_forever(void) {
  /* Each iteration is a volatile store, an observable side effect, so the
   * compiler may neither delete the loop nor assume it terminates. */
  volatile uint32_t spins = 0;
  for (;;) spins++;
}

static volatile uint32_t recursion_sink;
static volatile uint32_t recursion_stop; /* never set; hides the infinite recursion */

__attribute__((noinline)) static uint32_t recurse(uint32_t depth) {
  if (recursion_stop) return depth;
  recursion_sink = depth;
  uint32_t result = recurse(depth + 1);
  /* Work after the call keeps it out of tail position, so it cannot be
   * turned into a loop. Only wasm locals are used: no shadow-stack frame. */
  recursion_sink = result;
  return result + 1;
}

static void grow_until_refused(void) {
  uint32_t pages = 0;
  while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) pages++;
  pw_logf(LogLevel_Info, "grow pages %u", pages);
}

static void pass_out_of_bounds_pointers(void) {
  WasmResult s1 = proxy_log(LogLevel_Info, (const char *)(uintptr_t)0xFFFFFFF0u, 64);
  WasmResult s2 = proxy_add_header_map_value(MapType_HttpRequestHeaders,
                                             (const char *)(uintptr_t)0x7FFFFFFFu, 10, "v", 1);
  WasmResult s3 = proxy_get_header_map_value(MapType_HttpRequestHeaders, ":path", 5,
                                             (char **)(uintptr_t)0xFFFFFFFCu,
                                             (size_t *)(uintptr_t)0xFFFFFFFCu);
  pw_logf(LogLevel_Info, "oob_ptr results %u %u %u", (unsigned)s1, (unsigned)s2, (unsigned)s3);
}

static void pass_huge_sizes(void) {
  static char scratch[16] = "scratch";
  char *data = NULL;
  size_t len = 0;
  /* 0xFFFFFFFF as max_size means "everything" (the Rust SDK does this). */
  WasmResult s1 = proxy_get_buffer_bytes(BufferType_PluginConfiguration, 0, 0xFFFFFFFFu, &data,
                                         &len);
  if (s1 == WasmResult_Ok) free(data);

  char *pairs = NULL;
  size_t pairs_len = 0;
  WasmResult s2 = proxy_get_header_map_pairs(MapType_HttpRequestHeaders, &pairs, &pairs_len);
  /* ptr + 0xFFFFFFFF wraps around 32 bits: the host must not. */
  WasmResult s3 = proxy_log(LogLevel_Info, pairs ? pairs : scratch, 0xFFFFFFFFu);
  if (s2 == WasmResult_Ok) free(pairs);
  pw_logf(LogLevel_Info, "huge_size results %u %u %u", (unsigned)s1, (unsigned)s2,
          (unsigned)s3);
}

static void log_huge_message(void) {
  char *message = malloc(HUGE_LOG_SIZE);
  if (message == NULL) {
    pw_log(LogLevel_Info, "huge_log result out-of-memory");
    return;
  }
  memset(message, 'x', HUGE_LOG_SIZE);
  WasmResult s = proxy_log(LogLevel_Info, message, HUGE_LOG_SIZE);
  free(message);
  pw_logf(LogLevel_Info, "huge_log result %u", (unsigned)s);
}

/* The allocator is already broken; see what the host makes of it. The
 * returned pointer is never freed: it is 0 or garbage. */
static void read_header_with_broken_allocator(void) {
  char *value = NULL;
  size_t len = 0;
  WasmResult s = proxy_get_header_map_value(MapType_HttpRequestHeaders, ":path", 5, &value, &len);
  pw_logf(LogLevel_Info, "alloc results %u", (unsigned)s);
}

/* Called first thing by every callback. */
static void maybe_misbehave(callback_t callback) {
  if (mode == MODE_NONE || callback != target) return;
  switch (mode) {
  case MODE_LOOP: spin_forever(); break;
  case MODE_TRAP: __builtin_trap();
  case MODE_RECURSE: recurse(0); break;
  case MODE_GROW: grow_until_refused(); break;
  case MODE_OOB_PTR: pass_out_of_bounds_pointers(); break;
  case MODE_HUGE_SIZE: pass_huge_sizes(); break;
  case MODE_HUGE_LOG: log_huge_message(); break;
  case MODE_ALLOC_ZERO:
  case MODE_ALLOC_GARBAGE: read_header_with_broken_allocator(); break;
  case MODE_NONE: break;
  }
}

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

static int lookup(const char *const *names, size_t count, const char *name, size_t len) {
  for (size_t i = 0; i < count; i++)
    if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) return (int)i;
  return -1;
}

/* Parses "<mode> <callback>" into mode/target. Returns 0 if invalid. */
static int parse_config(char *text) {
  char *mode_word = pw_trim(text);
  if (*mode_word == '\0') {
    mode = MODE_NONE;
    return 1;
  }
  size_t mode_len = 0;
  while (mode_word[mode_len] != '\0' && !pw_is_space(mode_word[mode_len])) mode_len++;
  char *callback_word = pw_trim(mode_word + mode_len);

  int m = lookup(mode_names, PW_COUNT(mode_names), mode_word, mode_len);
  int c = lookup(callback_names, PW_COUNT(callback_names), callback_word, strlen(callback_word));
  if (m <= MODE_NONE || c < 0) {
    pw_logf(LogLevel_Error, "hostile: bad configuration '%.*s %s', expected '<mode> <callback>'",
            (int)mode_len, mode_word, callback_word);
    return 0;
  }
  target = (callback_t)c;
  mode = (misbehaviour_t)m; /* set last: for alloc_* modes the allocator breaks here */
  pw_logf(LogLevel_Info, "hostile: %s in %s", mode_names[mode], callback_names[target]);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Callbacks                                                                */
/* ------------------------------------------------------------------------ */

PROXY_EXPORT(proxy_on_vm_start) uint32_t proxy_on_vm_start(uint32_t root_id, size_t vm_config_size) {
  (void)root_id;
  (void)vm_config_size;
  maybe_misbehave(CB_VM_START);
  return 1;
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_id, size_t config_size) {
  (void)root_id;
  char *text;
  size_t len;
  if (pw_get_plugin_config(config_size, &text, &len) != WasmResult_Ok) {
    pw_log(LogLevel_Error, "hostile: cannot read plugin configuration");
    return 0;
  }
  int ok = parse_config(text);
  free(text);
  if (!ok) return 0;
  /* A tick only comes to a filter that asks for one. */
  if (target == CB_TICK && mode != MODE_NONE) proxy_set_tick_period_milliseconds(10);
  maybe_misbehave(CB_CONFIGURE);
  return 1;
}

PROXY_EXPORT(proxy_on_context_create)
void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) {
  (void)context_id;
  (void)parent_context_id;
  maybe_misbehave(CB_CONTEXT_CREATE);
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  maybe_misbehave(CB_REQUEST_HEADERS);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_request_body)
Action proxy_on_request_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  (void)context_id;
  (void)body_size;
  (void)end_of_stream;
  maybe_misbehave(CB_REQUEST_BODY);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_headers)
Action proxy_on_response_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  maybe_misbehave(CB_RESPONSE_HEADERS);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_body)
Action proxy_on_response_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  (void)context_id;
  (void)body_size;
  (void)end_of_stream;
  maybe_misbehave(CB_RESPONSE_BODY);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t root_id, uint32_t token, size_t num_headers,
                                 size_t body_size, size_t num_trailers) {
  (void)root_id;
  (void)token;
  (void)num_headers;
  (void)body_size;
  (void)num_trailers;
  maybe_misbehave(CB_HTTP_CALL_RESPONSE);
}

PROXY_EXPORT(proxy_on_tick) void proxy_on_tick(uint32_t root_id) {
  (void)root_id;
  maybe_misbehave(CB_TICK);
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  maybe_misbehave(CB_DONE);
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) {
  (void)context_id;
  maybe_misbehave(CB_LOG);
}

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) {
  (void)context_id;
  maybe_misbehave(CB_DELETE);
}

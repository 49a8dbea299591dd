/*
 * http_auth - asks an external auth service about every request.
 *
 * Plugin configuration (plain text, one key=value per line, '#' comments):
 *   cluster=<name>        upstream of the auth service (default: auth)
 *   path=<path>           path of the check request (default: /check)
 *   timeout_ms=<n>        timeout of the check call (default: 1000)
 * Unknown keys or a non-numeric timeout reject the configuration.
 *
 * On request headers: sends GET <path> to <cluster> (:authority = cluster),
 * copying the request's authorization header if present, and PAUSEs the
 * request. Any x-auth-user header sent by the client is dropped first so it
 * cannot be spoofed.
 * On the call response:
 *   - call failed (no headers), or could not be dispatched: local 503,
 *     details "auth_unavailable";
 *   - :status 200: adds request header x-auth-user = the response's x-user
 *     (if any) and resumes the request;
 *   - any other status: local 403, details "auth_denied", body = the auth
 *     service's response body.
 */
#include "proxy_wasm.h"

typedef struct {
  char *cluster;
  char *path;
  uint32_t timeout_ms;
} config_t;

static config_t config; /* one plugin (root context) per VM instance */

/* Per-stream state, kept in the pw_ctx table under the stream context id. */
typedef struct {
  uint32_t token; /* of the outstanding auth call */
  int pending;
} stream_t;

static const char unavailable_body[] = "{\"error\":\"auth service unavailable\"}";
static const pw_header unavailable_headers[] = {{"content-type", "application/json"}};

static void config_free(config_t *c) {
  free(c->cluster);
  free(c->path);
  memset(c, 0, sizeof *c);
}

/* Replaces *field with a heap copy of value; empty values are rejected. */
static int set_string(char **field, const char *key, const char *value) {
  if (*value == '\0') {
    pw_logf(LogLevel_Error, "http_auth: %s= must not be empty", key);
    return 0;
  }
  free(*field);
  *field = pw_strndup(value, strlen(value));
  return *field != NULL;
}

static int on_config_entry(const char *key, const char *value, void *user) {
  config_t *c = user;
  if (strcmp(key, "cluster") == 0) return set_string(&c->cluster, key, value);
  if (strcmp(key, "path") == 0) return set_string(&c->path, key, value);
  if (strcmp(key, "timeout_ms") == 0) {
    if (pw_parse_u32(value, &c->timeout_ms)) return 1;
    pw_logf(LogLevel_Error, "http_auth: timeout_ms=%s is not a number", value);
    return 0;
  }
  pw_logf(LogLevel_Error, "http_auth: unknown config key '%s'", key);
  return 0;
}

static int apply_defaults(config_t *c) {
  if (c->cluster == NULL && !set_string(&c->cluster, "cluster", "auth")) return 0;
  if (c->path == NULL && !set_string(&c->path, "path", "/check")) return 0;
  return 1;
}

/* Finds the stream whose auth call has this token (0 if none, e.g. the
 * stream was deleted while the call was in flight). */
static uint32_t stream_for_token(uint32_t token) {
  for (size_t i = 0; i < pw_ctx_count; i++) {
    stream_t *s = pw_ctx_slots[i].state;
    if (s->pending && s->token == token) return pw_ctx_slots[i].id;
  }
  return 0;
}

static void send_unavailable(void) {
  pw_send_local_response(503, "auth_unavailable", unavailable_body, sizeof unavailable_body - 1,
                         unavailable_headers, PW_COUNT(unavailable_headers));
}

/* Dispatches the check call; returns its status and sets *token. */
static WasmResult dispatch_check(uint32_t *token) {
  pw_header headers[4] = {
      {":method", "GET"},
      {":path", config.path},
      {":authority", config.cluster},
  };
  size_t count = 3;
  char *authorization = NULL;
  if (pw_get_header(MapType_HttpRequestHeaders, "authorization", &authorization, NULL) ==
      WasmResult_Ok) {
    headers[count].key = "authorization";
    headers[count].value = authorization;
    count++;
  }

  char *map = NULL;
  size_t map_len = pw_serialize_headers(headers, count, &map);
  free(authorization);
  if (map == NULL) return WasmResult_InternalFailure;
  WasmResult r = proxy_http_call(config.cluster, strlen(config.cluster), map, map_len, NULL, 0,
                                 NULL, 0, config.timeout_ms, token);
  free(map);
  return r;
}

/* The auth service said yes: pass the user on and resume the request. */
static void allow(void) {
  char *user;
  if (pw_get_header(MapType_HttpCallResponseHeaders, "x-user", &user, NULL) == WasmResult_Ok) {
    pw_add_header(MapType_HttpRequestHeaders, "x-auth-user", user);
    free(user);
  }
  proxy_continue_stream(StreamType_HttpRequest);
}

/* The auth service said no: answer 403 with its response body. */
static void deny(size_t body_size) {
  char *body = NULL;
  size_t body_len = 0;
  if (body_size > 0 && proxy_get_buffer_bytes(BufferType_HttpCallResponseBody, 0, body_size,
                                              &body, &body_len) != WasmResult_Ok) {
    body = NULL;
    body_len = 0;
  }
  pw_send_local_response(403, "auth_denied", body ? body : "", body_len, NULL, 0);
  free(body);
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
    pw_log(LogLevel_Error, "http_auth: cannot read plugin configuration");
    return 0;
  }
  config_t parsed = {.timeout_ms = 1000};
  int ok = pw_config_parse(text, on_config_entry, &parsed) && apply_defaults(&parsed);
  free(text);
  if (!ok) {
    config_free(&parsed); /* a rejected reconfiguration keeps the old config */
    return 0;
  }
  config_free(&config);
  config = parsed;
  pw_logf(LogLevel_Info, "http_auth: checking with %s%s (timeout %u ms)", config.cluster,
          config.path, config.timeout_ms);
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)num_headers;
  (void)end_of_stream;
  if (config.cluster == NULL) { /* not configured: fail closed */
    send_unavailable();
    return Action_Pause;
  }
  pw_remove_header(MapType_HttpRequestHeaders, "x-auth-user");

  stream_t *stream = pw_ctx_get_or_create(context_id, sizeof *stream);
  uint32_t token = 0;
  WasmResult r = stream ? dispatch_check(&token) : WasmResult_InternalFailure;
  if (r != WasmResult_Ok) {
    pw_logf(LogLevel_Warn, "http_auth: context %u: auth call to '%s' failed (status %u)",
            context_id, config.cluster, (unsigned)r);
    send_unavailable();
    return Action_Pause;
  }
  stream->token = token;
  stream->pending = 1;
  return Action_Pause; /* resumed (or answered) in proxy_on_http_call_response */
}

PROXY_EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t root_id, uint32_t token, size_t num_headers,
                                 size_t body_size, size_t num_trailers) {
  (void)root_id;
  (void)num_trailers;
  uint32_t context_id = stream_for_token(token);
  if (context_id == 0) {
    pw_logf(LogLevel_Debug, "http_auth: response for unknown token %u ignored", token);
    return;
  }
  ((stream_t *)pw_ctx_get(context_id))->pending = 0;
  /* Host calls below (headers, continue, local response) act on the stream. */
  proxy_set_effective_context(context_id);

  if (num_headers == 0) {
    send_unavailable();
    return;
  }
  char *status;
  if (pw_get_header(MapType_HttpCallResponseHeaders, ":status", &status, NULL) == WasmResult_Ok &&
      strcmp(status, "200") == 0) {
    allow();
  } else {
    deny(body_size);
  }
  free(status);
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) { (void)context_id; }

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) {
  pw_ctx_free(context_id);
}

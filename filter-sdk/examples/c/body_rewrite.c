/*
 * body_rewrite - replaces every occurrence of a string in request and
 * response bodies.
 *
 * Plugin configuration (plain text, one key=value per line, '#' comments):
 *   from=<text>           text to look for (required, non-empty)
 *   to=<text>             replacement (required, may be empty to delete)
 * Values are trimmed of surrounding whitespace. Missing keys or unknown keys
 * reject the configuration.
 *
 * Bodies: each body callback returns PAUSE until end_of_stream so the host
 * buffers the whole body; at end_of_stream the buffered body is read,
 * rewritten and written back in one replace-all proxy_set_buffer_bytes call.
 * Headers: content-length is removed from request and response headers,
 * because the rewritten body may have a different length.
 */
#include "proxy_wasm.h"

typedef struct {
  char *from;
  char *to;
} config_t;

static config_t config; /* one plugin (root context) per VM instance */

static void config_free(config_t *c) {
  free(c->from);
  free(c->to);
  memset(c, 0, sizeof *c);
}

static int on_config_entry(const char *key, const char *value, void *user) {
  config_t *c = user;
  char **field = strcmp(key, "from") == 0 ? &c->from : strcmp(key, "to") == 0 ? &c->to : NULL;
  if (field == NULL) {
    pw_logf(LogLevel_Error, "body_rewrite: unknown config key '%s'", key);
    return 0;
  }
  free(*field);
  *field = pw_strndup(value, strlen(value));
  return *field != NULL;
}

/* Returns a heap copy of text[0..len) with every `from` replaced by `to`,
 * scanning left to right without overlaps; *out_len receives its length.
 * NULL when out of memory. */
static char *replace_all(const char *text, size_t len, const char *from, const char *to,
                         size_t *out_len) {
  size_t from_len = strlen(from), to_len = strlen(to);

  /* First pass: count matches to size the output exactly. */
  size_t matches = 0;
  for (size_t i = 0; i + from_len <= len;) {
    if (memcmp(text + i, from, from_len) == 0) {
      matches++;
      i += from_len;
    } else {
      i++;
    }
  }
  size_t new_len = len - matches * from_len + matches * to_len;
  char *out = malloc(new_len + 1); /* +1: never malloc(0) */
  if (out == NULL) return NULL;

  /* Second pass: copy, substituting each match. */
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    if (i + from_len <= len && memcmp(text + i, from, from_len) == 0) {
      memcpy(out + o, to, to_len);
      o += to_len;
      i += from_len;
    } else {
      out[o++] = text[i++];
    }
  }
  *out_len = new_len;
  return out;
}

/* Shared by request and response bodies. */
static Action on_body(BufferType buffer, size_t body_size, uint32_t end_of_stream) {
  if (!end_of_stream) return Action_Pause; /* let the host buffer the whole body */
  if (body_size == 0 || config.from == NULL) return Action_Continue;

  char *body = NULL;
  size_t len = 0;
  WasmResult r = proxy_get_buffer_bytes(buffer, 0, body_size, &body, &len);
  if (r != WasmResult_Ok) {
    pw_logf(LogLevel_Warn, "body_rewrite: cannot read body buffer %u (status %u)",
            (unsigned)buffer, (unsigned)r);
    return Action_Continue;
  }
  size_t new_len = 0;
  char *rewritten = replace_all(body, len, config.from, config.to, &new_len);
  free(body);
  if (rewritten == NULL) {
    pw_log(LogLevel_Error, "body_rewrite: out of memory, body left unchanged");
    return Action_Continue;
  }
  r = proxy_set_buffer_bytes(buffer, 0, body_size, rewritten, new_len);
  if (r != WasmResult_Ok)
    pw_logf(LogLevel_Warn, "body_rewrite: cannot write body buffer %u (status %u)",
            (unsigned)buffer, (unsigned)r);
  free(rewritten);
  return Action_Continue;
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
    pw_log(LogLevel_Error, "body_rewrite: cannot read plugin configuration");
    return 0;
  }
  config_t parsed = {0};
  int ok = pw_config_parse(text, on_config_entry, &parsed);
  free(text);
  if (ok && (parsed.from == NULL || *parsed.from == '\0' || parsed.to == NULL)) {
    pw_log(LogLevel_Error, "body_rewrite: both from=<non-empty text> and to=<text> are required");
    ok = 0;
  }
  if (!ok) {
    config_free(&parsed); /* a rejected reconfiguration keeps the old config */
    return 0;
  }
  config_free(&config);
  config = parsed;
  pw_logf(LogLevel_Info, "body_rewrite: replacing '%s' with '%s'", config.from, config.to);
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  pw_remove_header(MapType_HttpRequestHeaders, "content-length");
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_request_body)
Action proxy_on_request_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  (void)context_id;
  return on_body(BufferType_HttpRequestBody, body_size, end_of_stream);
}

PROXY_EXPORT(proxy_on_response_headers)
Action proxy_on_response_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  pw_remove_header(MapType_HttpResponseHeaders, "content-length");
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_body)
Action proxy_on_response_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  (void)context_id;
  return on_body(BufferType_HttpResponseBody, body_size, end_of_stream);
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) { (void)context_id; }

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) { (void)context_id; }

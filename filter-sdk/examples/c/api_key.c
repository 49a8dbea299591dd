/*
 * api_key - rejects requests that do not carry a known API key.
 *
 * Plugin configuration (plain text, one key=value per line, '#' comments):
 *   key=<secret>          an accepted API key (repeatable, at least one required)
 *   header=<name>         request header holding the key (default: x-api-key)
 * Unknown keys, or no key= line at all, reject the configuration
 * (proxy_on_configure returns 0 and logs the reason at ERROR).
 *
 * Missing or unknown key: local response 401, details "api_key_rejected",
 * body {"error":"missing or invalid api key"}, headers content-type:
 * application/json and www-authenticate: ApiKey; the callback returns PAUSE.
 * Valid key: the header is removed so the secret never reaches the upstream,
 * and the request CONTINUEs.
 */
#include "proxy_wasm.h"

typedef struct {
  char **keys;
  size_t key_count;
  char *header; /* lower-cased */
} config_t;

static config_t config; /* one plugin (root context) per VM instance */

static const char rejection_body[] = "{\"error\":\"missing or invalid api key\"}";
static const pw_header rejection_headers[] = {
    {"content-type", "application/json"},
    {"www-authenticate", "ApiKey"},
};

static void config_free(config_t *c) {
  for (size_t i = 0; i < c->key_count; i++) free(c->keys[i]);
  free(c->keys);
  free(c->header);
  memset(c, 0, sizeof *c);
}

static int add_key(config_t *c, const char *key) {
  if (*key == '\0') {
    pw_log(LogLevel_Error, "api_key: key= must not be empty");
    return 0;
  }
  char **grown = realloc(c->keys, (c->key_count + 1) * sizeof *grown);
  if (grown != NULL) c->keys = grown;
  char *copy = pw_strndup(key, strlen(key));
  if (grown == NULL || copy == NULL) {
    free(copy);
    pw_log(LogLevel_Error, "api_key: out of memory");
    return 0;
  }
  c->keys[c->key_count++] = copy;
  return 1;
}

static int set_header(config_t *c, const char *name) {
  if (*name == '\0') {
    pw_log(LogLevel_Error, "api_key: header= must not be empty");
    return 0;
  }
  free(c->header);
  c->header = pw_strndup(name, strlen(name));
  if (c->header == NULL) {
    pw_log(LogLevel_Error, "api_key: out of memory");
    return 0;
  }
  pw_lowercase(c->header);
  return 1;
}

static int on_config_entry(const char *key, const char *value, void *user) {
  if (strcmp(key, "key") == 0) return add_key(user, value);
  if (strcmp(key, "header") == 0) return set_header(user, value);
  pw_logf(LogLevel_Error, "api_key: unknown config key '%s'", key);
  return 0;
}

/* Compares in time that depends only on the lengths, so response timing does
 * not reveal how many leading characters of a guess were right. */
static int secret_equals(const char *a, size_t a_len, const char *b) {
  size_t b_len = strlen(b);
  if (a_len != b_len) return 0;
  unsigned char diff = 0;
  for (size_t i = 0; i < a_len; i++) diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

static int is_known_key(const char *value, size_t len) {
  int found = 0;
  for (size_t i = 0; i < config.key_count; i++) found |= secret_equals(value, len, config.keys[i]);
  return found;
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
    pw_log(LogLevel_Error, "api_key: cannot read plugin configuration");
    return 0;
  }
  config_t parsed = {0};
  int ok = pw_config_parse(text, on_config_entry, &parsed) &&
           (parsed.header != NULL || set_header(&parsed, "x-api-key"));
  free(text);
  if (ok && parsed.key_count == 0) {
    pw_log(LogLevel_Error, "api_key: configuration needs at least one key=<secret> line");
    ok = 0;
  }
  if (!ok) {
    config_free(&parsed); /* a rejected reconfiguration keeps the old config */
    return 0;
  }
  config_free(&config);
  config = parsed;
  pw_logf(LogLevel_Info, "api_key: configured %zu key(s), header '%s'", config.key_count,
          config.header);
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)num_headers;
  (void)end_of_stream;
  /* Not configured (on_configure failed): no key can match, so fail closed. */
  const char *header = config.header ? config.header : "x-api-key";
  char *value;
  size_t len;
  WasmResult r = pw_get_header(MapType_HttpRequestHeaders, header, &value, &len);
  int accepted = r == WasmResult_Ok && is_known_key(value, len);
  free(value);

  if (!accepted) {
    pw_logf(LogLevel_Info, "api_key: context %u rejected (%s)", context_id,
            r == WasmResult_Ok ? "unknown key" : "missing key");
    pw_send_local_response(401, "api_key_rejected", rejection_body, sizeof rejection_body - 1,
                           rejection_headers, PW_COUNT(rejection_headers));
    return Action_Pause;
  }
  pw_remove_header(MapType_HttpRequestHeaders, header);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) { (void)context_id; }

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) { (void)context_id; }

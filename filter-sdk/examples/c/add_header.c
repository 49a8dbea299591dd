/*
 * add_header - adds and removes request headers, and marks responses.
 *
 * Plugin configuration (plain text, one key=value per line, '#' comments):
 *   add=<name>: <value>   add a request header (repeatable)
 *   remove=<name>         remove a request header (repeatable)
 * Header names are lower-cased. Removals run before additions, so
 * "remove=x-a" + "add=x-a: 1" replaces the header. Unknown keys reject the
 * configuration.
 *
 * Empty configuration: adds the request header "x-wasmesh-filter: add_header".
 * Every response gets "x-powered-by: wasmesh". Always returns CONTINUE.
 */
#include "proxy_wasm.h"

typedef struct {
  pw_header *adds; /* key/value are heap strings */
  size_t add_count;
  char **removes;
  size_t remove_count;
} config_t;

static config_t config; /* one plugin (root context) per VM instance */

static const pw_header default_add = {"x-wasmesh-filter", "add_header"};

static void config_free(config_t *c) {
  for (size_t i = 0; i < c->add_count; i++) {
    free((char *)c->adds[i].key);
    free((char *)c->adds[i].value);
  }
  for (size_t i = 0; i < c->remove_count; i++) free(c->removes[i]);
  free(c->adds);
  free(c->removes);
  memset(c, 0, sizeof *c);
}

/* Heap copy of s[0..n) with surrounding whitespace removed (NULL on OOM). */
static char *dup_trimmed(const char *s, size_t n) {
  char *copy = pw_strndup(s, n);
  if (copy == NULL) return NULL;
  char *start = pw_trim(copy);
  memmove(copy, start, strlen(start) + 1);
  return copy;
}

/* "name: value" -> one more entry in c->adds (name lower-cased). */
static int parse_add(const char *spec, config_t *c) {
  const char *colon = strchr(spec, ':');
  if (colon == NULL) {
    pw_logf(LogLevel_Error, "add_header: add=%s: expected 'name: value'", spec);
    return 0;
  }
  char *name = dup_trimmed(spec, (size_t)(colon - spec));
  char *value = dup_trimmed(colon + 1, strlen(colon + 1));
  pw_header *grown = realloc(c->adds, (c->add_count + 1) * sizeof *grown);
  if (grown != NULL) c->adds = grown;
  if (name == NULL || value == NULL || grown == NULL || *name == '\0') {
    pw_logf(LogLevel_Error, "add_header: add=%s: %s", spec,
            name && value && grown ? "empty header name" : "out of memory");
    free(name);
    free(value);
    return 0;
  }
  pw_lowercase(name);
  c->adds[c->add_count].key = name;
  c->adds[c->add_count].value = value;
  c->add_count++;
  return 1;
}

static int parse_remove(const char *name, config_t *c) {
  if (*name == '\0') {
    pw_log(LogLevel_Error, "add_header: remove= needs a header name");
    return 0;
  }
  char *copy = pw_strndup(name, strlen(name));
  char **grown = realloc(c->removes, (c->remove_count + 1) * sizeof *grown);
  if (grown != NULL) c->removes = grown;
  if (copy == NULL || grown == NULL) {
    free(copy);
    pw_log(LogLevel_Error, "add_header: out of memory");
    return 0;
  }
  pw_lowercase(copy);
  c->removes[c->remove_count++] = copy;
  return 1;
}

static int on_config_entry(const char *key, const char *value, void *user) {
  if (strcmp(key, "add") == 0) return parse_add(value, user);
  if (strcmp(key, "remove") == 0) return parse_remove(value, user);
  pw_logf(LogLevel_Error, "add_header: unknown config key '%s'", key);
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
    pw_log(LogLevel_Error, "add_header: cannot read plugin configuration");
    return 0;
  }
  /* Parse into a fresh config so a rejected reconfiguration keeps the old one. */
  config_t parsed = {0};
  int ok = pw_config_parse(text, on_config_entry, &parsed);
  free(text);
  if (!ok) {
    config_free(&parsed);
    return 0;
  }
  config_free(&config);
  config = parsed;
  pw_logf(LogLevel_Info, "add_header: configured (%zu add, %zu remove)", config.add_count,
          config.remove_count);
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  if (config.add_count == 0 && config.remove_count == 0) {
    pw_add_header(MapType_HttpRequestHeaders, default_add.key, default_add.value);
    return Action_Continue;
  }
  for (size_t i = 0; i < config.remove_count; i++)
    pw_remove_header(MapType_HttpRequestHeaders, config.removes[i]);
  for (size_t i = 0; i < config.add_count; i++)
    pw_add_header(MapType_HttpRequestHeaders, config.adds[i].key, config.adds[i].value);
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_response_headers)
Action proxy_on_response_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)num_headers;
  (void)end_of_stream;
  pw_add_header(MapType_HttpResponseHeaders, "x-powered-by", "wasmesh");
  return Action_Continue;
}

PROXY_EXPORT(proxy_on_done) uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}

PROXY_EXPORT(proxy_on_log) void proxy_on_log(uint32_t context_id) { (void)context_id; }

PROXY_EXPORT(proxy_on_delete) void proxy_on_delete(uint32_t context_id) { (void)context_id; }

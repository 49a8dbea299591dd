/*
 * echo - a proxy-wasm service: it answers every request itself with
 * proxy_send_local_response and keeps its VM (and a request counter) between
 * requests.
 *
 * Answers JSON: {"method": ..., "path": ..., "bytes": <request body size>,
 * "served": <requests this VM served>}. Plugin configuration: none.
 */
#include "proxy_wasm.h"

typedef struct {
  char *method;
  char *path;
  size_t bytes;
} request_t;

static uint32_t served; /* kept between requests: the VM is reused */

static void reply(uint32_t context_id) {
  request_t *r = pw_ctx_get(context_id);
  char body[512];
  served++;
  size_t n = pw_format(body, sizeof body,
                       "{\"method\":\"%s\",\"path\":\"%s\",\"bytes\":%u,\"served\":%u}\n",
                       r && r->method ? r->method : "", r && r->path ? r->path : "",
                       (unsigned)(r ? r->bytes : 0), (unsigned)served);
  static const pw_header headers[] = {{"content-type", "application/json"}};
  pw_send_local_response(200, "echo", body, n, headers, PW_COUNT(headers));
}

PROXY_EXPORT(proxy_on_context_create)
void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) {
  (void)context_id;
  (void)parent_context_id;
}

PROXY_EXPORT(proxy_on_request_headers)
Action proxy_on_request_headers(uint32_t context_id, size_t num_headers, uint32_t end_of_stream) {
  (void)num_headers;
  request_t *r = pw_ctx_get_or_create(context_id, sizeof(request_t));
  if (r == NULL) return Action_Continue;
  pw_get_header(MapType_HttpRequestHeaders, ":method", &r->method, NULL);
  pw_get_header(MapType_HttpRequestHeaders, ":path", &r->path, NULL);
  if (!end_of_stream) return Action_Continue; /* the body comes next: answer from there */
  reply(context_id);
  return Action_Pause;
}

PROXY_EXPORT(proxy_on_request_body)
Action proxy_on_request_body(uint32_t context_id, size_t body_size, uint32_t end_of_stream) {
  request_t *r = pw_ctx_get(context_id);
  if (r != NULL) r->bytes = body_size;
  if (end_of_stream) reply(context_id);
  return Action_Pause; /* buffer until the end, then answer */
}

PROXY_EXPORT(proxy_on_delete)
void proxy_on_delete(uint32_t context_id) {
  request_t *r = pw_ctx_get(context_id);
  if (r != NULL) {
    free(r->method);
    free(r->path);
  }
  pw_ctx_free(context_id);
}

/*
 * hello - a WAGI service (a plain WASI command): the request arrives as CGI
 * variables and stdin, the response leaves as a CGI response on stdout.
 *
 *   GET  /hello?name=ada   -> "Hello, ada!" plus what the service saw
 *   POST /hello  (body)    -> the body, echoed back in upper case
 *
 * Service config environment variables: GREETING (default "Hello").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v != NULL && *v != '\0' ? v : fallback;
}

/* The value of `key` in a query string like "a=1&name=ada", copied into out. */
static int query_param(const char *query, const char *key, char *out, size_t cap) {
  size_t klen = strlen(key);
  for (const char *p = query; p != NULL && *p != '\0';) {
    const char *amp = strchr(p, '&');
    size_t len = amp != NULL ? (size_t)(amp - p) : strlen(p);
    if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
      size_t n = len - klen - 1 < cap - 1 ? len - klen - 1 : cap - 1;
      memcpy(out, p + klen + 1, n);
      out[n] = '\0';
      return 1;
    }
    p = amp != NULL ? amp + 1 : NULL;
  }
  return 0;
}

int main(void) {
  const char *method = env_or("REQUEST_METHOD", "GET");
  if (strcmp(method, "POST") == 0) {
    printf("Content-Type: text/plain\n\n");
    int c;
    while ((c = getchar()) != EOF) putchar(toupper(c));
    return 0;
  }
  char name[128] = "world";
  query_param(env_or("QUERY_STRING", ""), "name", name, sizeof name);
  printf("Content-Type: text/plain\n");
  printf("X-Served-By: wasm\n\n");
  printf("%s, %s!\n", env_or("GREETING", "Hello"), name);
  printf("method=%s path=%s%s host=%s\n", method, env_or("SCRIPT_NAME", ""),
         env_or("PATH_INFO", ""), env_or("HTTP_HOST", env_or("SERVER_NAME", "")));
  return 0;
}

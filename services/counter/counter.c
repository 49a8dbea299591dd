/*
 * counter - a WAGI service that counts visits per path in the tenant's
 * key-value store (key "visits:<PATH_INFO>"), which outlives the fresh
 * instance each request gets. The store is imported from module "wasmesh"
 * (see services/README.md); other tenants have their own.
 *
 * Answers "visits of <path>: <n>", or 503 when the store is unavailable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((import_module("wasmesh"), import_name("kv_add")))
long long wasmesh_kv_add(const char *key, int key_len, long long delta);

int main(void) {
  const char *path = getenv("PATH_INFO");
  if (path == NULL || *path == '\0') path = "/";
  char key[512];
  int n = snprintf(key, sizeof key, "visits:%s", path);
  if (n < 0 || (size_t)n >= sizeof key) n = (int)sizeof key - 1;
  long long visits = wasmesh_kv_add(key, n, 1);
  if (visits <= 0) {
    printf("Status: 503 Service Unavailable\nContent-Type: text/plain\n\nno key-value store\n");
    return 0;
  }
  printf("Content-Type: text/plain\n\nvisits of %s: %lld\n", path, visits);
  return 0;
}

/*
 * json-pick - a JSON transformer (WAGI): POST a JSON object, get back an object
 * with only the top-level fields named in ?fields=a,b,c (in that order; missing
 * ones are left out). Values are copied verbatim, nested objects and arrays
 * included. Malformed JSON gets "Status: 400" with the reason.
 *
 *   curl -d '{"id":7,"name":"ada","tags":["x"],"secret":"s"}' 'localhost:8080/pick?fields=name,id'
 *   -> {"name":"ada","id":7}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (1 << 20)

typedef struct {
  const char *key; /* points into the input, without quotes */
  size_t key_len;
  const char *value; /* the raw JSON text of the value */
  size_t value_len;
} member;

static const char *ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* Past the end of the string starting at p (which is a quote), or NULL. */
static const char *skip_string(const char *p, const char *end) {
  for (p++; p < end; p++) {
    if (*p == '\\') {
      p++;
    } else if (*p == '"') {
      return p + 1;
    }
  }
  return NULL;
}

/* Past the end of the JSON value starting at p, or NULL if malformed. */
static const char *skip_value(const char *p, const char *end, int depth) {
  if (p >= end || depth > 64) return NULL;
  if (*p == '"') return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    p = ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
      if (close == '}') {
        if (p >= end || *p != '"' || (p = skip_string(p, end)) == NULL) return NULL;
        p = ws(p, end);
        if (p >= end || *p != ':') return NULL;
        p = ws(p + 1, end);
      }
      if ((p = skip_value(p, end, depth + 1)) == NULL) return NULL;
      p = ws(p, end);
      if (p < end && *p == ',') {
        p = ws(p + 1, end);
      } else if (p < end && *p == close) {
        return p + 1;
      } else {
        return NULL;
      }
    }
  }
  const char *start = p; /* number, true, false, null */
  while (p < end && (strchr("+-.eE", *p) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z'))) p++;
  return p > start ? p : NULL;
}

static void bad(const char *why) {
  printf("Status: 400 Bad Request\nContent-Type: text/plain\n\n%s\n", why);
}

int main(void) {
  static char input[MAX_INPUT];
  size_t n = fread(input, 1, sizeof input, stdin);
  const char *p = ws(input, input + n), *end = input + n;
  if (p >= end || *p != '{') {
    bad("expected a JSON object");
    return 0;
  }
  member members[256];
  size_t count = 0;
  p = ws(p + 1, end);
  while (p < end && *p != '}') {
    if (*p != '"') {
      bad("expected a member name");
      return 0;
    }
    const char *key_end = skip_string(p, end);
    if (key_end == NULL) {
      bad("unterminated string");
      return 0;
    }
    member m = {p + 1, (size_t)(key_end - p - 2), NULL, 0};
    p = ws(key_end, end);
    if (p >= end || *p != ':') {
      bad("expected ':'");
      return 0;
    }
    p = ws(p + 1, end);
    const char *value_end = skip_value(p, end, 0);
    if (value_end == NULL) {
      bad("malformed value");
      return 0;
    }
    m.value = p;
    m.value_len = (size_t)(value_end - p);
    if (count < sizeof members / sizeof members[0]) members[count++] = m;
    p = ws(value_end, end);
    if (p < end && *p == ',') p = ws(p + 1, end);
  }
  if (p >= end) {
    bad("unterminated object");
    return 0;
  }

  const char *query = getenv("QUERY_STRING");
  const char *fields = query != NULL && strncmp(query, "fields=", 7) == 0 ? query + 7 : "";
  printf("Content-Type: application/json\n\n{");
  int first = 1;
  for (const char *f = fields; *f != '\0';) {
    const char *comma = strchr(f, ',');
    size_t len = comma != NULL ? (size_t)(comma - f) : strlen(f);
    for (size_t i = 0; i < count; i++) {
      if (members[i].key_len == len && memcmp(members[i].key, f, len) == 0) {
        printf("%s\"%.*s\":%.*s", first ? "" : ",", (int)len, f, (int)members[i].value_len,
               members[i].value);
        first = 0;
        break;
      }
    }
    f = comma != NULL ? comma + 1 : f + len;
  }
  printf("}\n");
  return 0;
}

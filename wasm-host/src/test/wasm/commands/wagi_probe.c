/*
 * wagi_probe - a WAGI test fixture whose behaviour the query string picks:
 *   env      print every environment variable it was given (one per line)
 *   echo     copy stdin to stdout after a text/plain header
 *   status   answer "Status: 404 Not Found"
 *   loop     spin forever (deadline)
 *   grow     allocate until memory runs out, then trap (memory limit)
 *   trap     execute unreachable
 *   exit3    exit with code 3 after writing a valid response
 *   garbage  write no CGI header section
 *   flood    write 8 MiB (response limit)
 *   files    try to open /etc/passwd (no filesystem)
 *   visits   count this visit in a zeroed and an initialised global: a new
 *            instance (or a reused memory reset as new) always answers "1 8"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(void) {
  const char *q = getenv("QUERY_STRING");
  if (q == NULL) q = "";
  if (strcmp(q, "env") == 0) {
    printf("Content-Type: text/plain\n\n");
    for (char **e = environ; *e != NULL; e++) printf("%s\n", *e);
  } else if (strcmp(q, "echo") == 0) {
    printf("Content-Type: text/plain\n\n");
    int c;
    while ((c = getchar()) != EOF) putchar(c);
  } else if (strcmp(q, "status") == 0) {
    printf("Status: 404 Not Found\nContent-Type: text/plain\n\nnothing here\n");
  } else if (strcmp(q, "loop") == 0) {
    volatile unsigned long n = 0;
    for (;;) n++;
  } else if (strcmp(q, "grow") == 0) {
    /* Chained into a global list so the compiler cannot drop the allocations. */
    static void *volatile chain;
    for (;;) {
      void **p = malloc(32 << 10);
      if (p == NULL) __builtin_trap();
      memset(p, 1, 32 << 10);
      *p = chain;
      chain = p;
    }
  } else if (strcmp(q, "trap") == 0) {
    __builtin_trap();
  } else if (strcmp(q, "exit3") == 0) {
    printf("Content-Type: text/plain\n\nbye\n");
    fflush(stdout);
    exit(3);
  } else if (strcmp(q, "garbage") == 0) {
    printf("this is not a CGI response");
  } else if (strcmp(q, "flood") == 0) {
    /* Large writes, so the response limit, not the deadline, is what stops it. */
    static char block[64 << 10];
    memset(block, 'x', sizeof block);
    printf("Content-Type: text/plain\n\n");
    for (int i = 0; i < 128; i++) fwrite(block, 1, sizeof block, stdout);
  } else if (strcmp(q, "files") == 0) {
    FILE *f = fopen("/etc/passwd", "r");
    printf("Content-Type: text/plain\n\n%s\n", f == NULL ? "no files" : "opened /etc/passwd");
  } else if (strcmp(q, "visits") == 0) {
    static int visits;   /* .bss: only zeroing the memory resets it */
    static int seed = 7; /* .data: the data segment resets it */
    visits++;
    seed++;
    printf("Content-Type: text/plain\n\n%d %d\n", visits, seed);
  } else {
    printf("Content-Type: text/plain\n\nprobe: unknown mode '%s'\n", q);
  }
  return 0;
}

/*
 * The thumbnail service's kernel, timed in-process: the same C source built
 * natively (clang -O2) and as wasm32-wasi (run by Endive and by Node), so the
 * runtimes are compared on identical code. Usage: kernel_bench IMAGE.ppm RUNS
 * Prints the median milliseconds of one thumbnail_scale call (to 128 wide).
 */
#define main thumbnail_service_main
#include "../../services/thumbnail/thumbnail.c"
#undef main

#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: kernel_bench IMAGE.ppm RUNS\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  long w, h, maxval;
  if (in == NULL || fgetc(in) != 'P' || fgetc(in) != '6' || !read_number(in, &w) ||
      !read_number(in, &h) || !read_number(in, &maxval)) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  size_t size = (size_t)w * h * 3;
  uint8_t *src = malloc(size);
  if (src == NULL || fread(src, 1, size, in) != size) return 1;
  int tw = 128, th = (int)(h * 128 / w);
  uint8_t *dst = malloc((size_t)tw * th * 3);
  int runs = atoi(argv[2]);
  double *ms = malloc(sizeof(double) * runs);
  unsigned checksum = 0;
  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    thumbnail_scale(src, (int)w, (int)h, dst, tw, th);
    ms[i] = now_ms() - t0;
    checksum += dst[i % ((size_t)tw * th * 3)];
  }
  qsort(ms, runs, sizeof(double), compare);
  printf("%.3f ms median (min %.3f) over %d runs, checksum %u\n", ms[runs / 2], ms[0], runs, checksum);
  return 0;
}

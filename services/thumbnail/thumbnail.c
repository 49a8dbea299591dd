/*
 * thumbnail - a compute-heavy WAGI service: POST a binary PPM image (P6,
 * 8-bit RGB) and get it back scaled down to at most `w` pixels wide (query
 * parameter, default 128), keeping the aspect ratio. Each output pixel is the
 * average of the input box it covers (a box filter), so no detail is skipped.
 *
 *   curl --data-binary @photo.ppm 'http://localhost:8080/thumbnail?w=64' > small.ppm
 *
 * Bad input gets "Status: 400" with the reason. The kernel (thumbnail_scale)
 * is the one the compute benchmark compares across Wasm, Java, native and Node.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIDE 8192

static void fail(const char *why) {
  printf("Status: 400 Bad Request\nContent-Type: text/plain\n\n%s\n", why);
}

/* Reads one header number of a PPM, skipping whitespace and # comments. */
static int read_number(FILE *in, long *out) {
  int c = fgetc(in);
  for (;;) {
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = fgetc(in);
    if (c != '#') break;
    while (c != '\n' && c != EOF) c = fgetc(in);
  }
  if (c < '0' || c > '9') return 0;
  long v = 0;
  while (c >= '0' && c <= '9') {
    v = v * 10 + (c - '0');
    if (v > 1 << 20) return 0;
    c = fgetc(in);
  }
  *out = v; /* the single whitespace after the number is consumed */
  return 1;
}

/* Box-filter downscale of an RGB image from (w, h) to (tw, th). */
void thumbnail_scale(const uint8_t *src, int w, int h, uint8_t *dst, int tw, int th) {
  for (int ty = 0; ty < th; ty++) {
    int y0 = (int)((int64_t)ty * h / th), y1 = (int)((int64_t)(ty + 1) * h / th);
    if (y1 <= y0) y1 = y0 + 1;
    for (int tx = 0; tx < tw; tx++) {
      int x0 = (int)((int64_t)tx * w / tw), x1 = (int)((int64_t)(tx + 1) * w / tw);
      if (x1 <= x0) x1 = x0 + 1;
      uint32_t r = 0, g = 0, b = 0;
      for (int y = y0; y < y1; y++) {
        const uint8_t *p = src + ((size_t)y * w + x0) * 3;
        for (int x = x0; x < x1; x++, p += 3) {
          r += p[0];
          g += p[1];
          b += p[2];
        }
      }
      uint32_t n = (uint32_t)((y1 - y0) * (x1 - x0));
      uint8_t *q = dst + ((size_t)ty * tw + tx) * 3;
      q[0] = (uint8_t)(r / n);
      q[1] = (uint8_t)(g / n);
      q[2] = (uint8_t)(b / n);
    }
  }
}

int main(void) {
  long target = 128;
  const char *query = getenv("QUERY_STRING");
  if (query != NULL && strncmp(query, "w=", 2) == 0) target = atol(query + 2);
  if (target < 1 || target > MAX_SIDE) {
    fail("w must be between 1 and 8192");
    return 0;
  }
  if (fgetc(stdin) != 'P' || fgetc(stdin) != '6') {
    fail("not a binary PPM (P6) image");
    return 0;
  }
  long w, h, maxval;
  if (!read_number(stdin, &w) || !read_number(stdin, &h) || !read_number(stdin, &maxval) ||
      w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || maxval != 255) {
    fail("bad PPM header (8-bit RGB, at most 8192 x 8192)");
    return 0;
  }
  size_t size = (size_t)w * (size_t)h * 3;
  uint8_t *src = malloc(size);
  if (src == NULL || fread(src, 1, size, stdin) != size) {
    fail(src == NULL ? "image too large for this service's memory" : "truncated pixel data");
    return 0;
  }
  int tw = (int)(target < w ? target : w);
  int th = (int)((int64_t)h * tw / w);
  if (th < 1) th = 1;
  uint8_t *dst = malloc((size_t)tw * th * 3);
  if (dst == NULL) {
    fail("out of memory");
    return 0;
  }
  thumbnail_scale(src, (int)w, (int)h, dst, tw, th);
  printf("Content-Type: image/x-portable-pixmap\n\nP6\n%d %d\n255\n", tw, th);
  fwrite(dst, 1, (size_t)tw * th * 3, stdout);
  return 0;
}

package io.wasmesh.benchmarks;

/** The thumbnail service's box-filter kernel (services/thumbnail/thumbnail.c) written in Java. */
final class ThumbnailKernel {
    private ThumbnailKernel() {}

    static void scale(byte[] src, int w, int h, byte[] dst, int tw, int th) {
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            for (int tx = 0; tx < tw; tx++) {
                int x0 = (int) ((long) tx * w / tw);
                int x1 = Math.max(x0 + 1, (int) ((long) (tx + 1) * w / tw));
                int r = 0;
                int g = 0;
                int b = 0;
                for (int y = y0; y < y1; y++) {
                    int p = (y * w + x0) * 3;
                    for (int x = x0; x < x1; x++, p += 3) {
                        r += src[p] & 0xff;
                        g += src[p + 1] & 0xff;
                        b += src[p + 2] & 0xff;
                    }
                }
                int n = (y1 - y0) * (x1 - x0);
                int q = (ty * tw + tx) * 3;
                dst[q] = (byte) (r / n);
                dst[q + 1] = (byte) (g / n);
                dst[q + 2] = (byte) (b / n);
            }
        }
    }

    /** Parses "P6 w h 255" (no comments); fills {w, h, maxval}; returns the pixel data offset. */
    static int parseHeader(byte[] file, int[] out) {
        int i = 2;
        for (int field = 0; field < 3; field++) {
            while (Character.isWhitespace(file[i])) {
                i++;
            }
            int v = 0;
            while (Character.isDigit(file[i])) {
                v = v * 10 + (file[i++] - '0');
            }
            out[field] = v;
        }
        return i + 1;
    }
}

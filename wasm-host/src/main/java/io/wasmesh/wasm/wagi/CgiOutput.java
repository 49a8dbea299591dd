package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parses a CGI response (RFC 3875 §6): header lines up to an empty line, then the body. {@code
 * Status: 404 Not Found} sets the status; a {@code Location} alone means 302; otherwise 200. Lines
 * may end in LF or CRLF.
 */
final class CgiOutput {
    private CgiOutput() {}

    /**
     * @throws IllegalArgumentException when the output has no header section or a malformed line
     */
    static CgiResponse parse(byte[] out) {
        int end = headerEnd(out);
        if (end < 0) {
            throw new IllegalArgumentException(
                    "no CGI header section (expected header lines, an empty line, then the body)");
        }
        String head = new String(out, 0, end, StandardCharsets.ISO_8859_1);
        HeaderMap headers = new HeaderMap();
        int status = -1;
        for (String line : head.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed CGI header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("status")) {
                status = parseStatus(value);
            } else {
                headers.add(name, value);
            }
        }
        if (status < 0) {
            status = headers.get("location") != null ? 302 : 200;
        }
        byte[] body = Arrays.copyOfRange(out, bodyStart(out, end), out.length);
        return new CgiResponse(status, headers, body);
    }

    private static int parseStatus(String value) {
        String code = value.split(" ", 2)[0];
        try {
            int status = Integer.parseInt(code);
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("CGI Status out of range: " + value);
            }
            return status;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed CGI Status: " + value, e);
        }
    }

    /** Index of the empty line that ends the headers (LF LF or CRLF CRLF), or -1. */
    private static int headerEnd(byte[] out) {
        for (int i = 0; i + 1 < out.length; i++) {
            if (out[i] == '\n' && out[i + 1] == '\n') {
                return i;
            }
            if (out[i] == '\n' && out[i + 1] == '\r' && i + 2 < out.length && out[i + 2] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int bodyStart(byte[] out, int headerEnd) {
        return out[headerEnd + 1] == '\r' ? headerEnd + 3 : headerEnd + 2;
    }
}

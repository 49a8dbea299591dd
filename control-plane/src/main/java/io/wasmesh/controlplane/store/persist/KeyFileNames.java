package io.wasmesh.controlplane.store.persist;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Map keys as file names, reversibly and safely.
 *
 * <p>Lower-case ASCII letters, digits, {@code -}, {@code _} and {@code .} stand for themselves;
 * every other UTF-8 byte is {@code %XX} with upper-case hex. So a name never holds a separator, is
 * the same on case-insensitive file systems (letters are only ever lower case outside an escape),
 * and stays readable for the keys we use ({@code acme%2F0f3a…}). A leading dot is escaped, so no
 * name is {@code .}, {@code ..} or hidden, which leaves names starting with a dot to temp files.
 * The empty key is {@code %}.
 *
 * <p>A name longer than {@link #MAX_PLAIN} characters would pass the usual 255-byte limit: such a
 * key is named by its readable start, {@code ~} and the SHA-256 of the key, and since that cannot
 * be reversed, the file carries the full encoded key (see {@link FileMapStore}). {@code ~} is never
 * part of an encoded key, so it tells the two kinds of name apart.
 */
final class KeyFileNames {
    static final int MAX_PLAIN = 200;
    static final char HASHED_MARK = '~';
    private static final int HASHED_PREFIX = 120;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private KeyFileNames() {}

    /** The key fully encoded, whatever its length (what a hashed file carries). */
    static String encode(String key) {
        if (key.isEmpty()) {
            return "%";
        }
        byte[] utf8 = strictUtf8(key);
        StringBuilder out = new StringBuilder(utf8.length + 16);
        for (byte b : utf8) {
            char c = (char) (b & 0xff);
            if (isPlain(c) && !(c == '.' && out.length() == 0)) {
                out.append(c);
            } else {
                out.append('%').append(HEX.toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** The file name of a key: its encoding, or a hashed name when that is too long. */
    static String fileName(String key) {
        String encoded = encode(key);
        if (encoded.length() <= MAX_PLAIN) {
            return encoded;
        }
        return encoded.substring(0, HASHED_PREFIX)
                + HASHED_MARK
                + HexFormat.of().formatHex(sha256(key));
    }

    static boolean isHashed(String fileName) {
        return fileName.indexOf(HASHED_MARK) >= 0;
    }

    /**
     * The key an encoded name stands for, or {@code null} when it is no encoding of ours (a file
     * someone else put there): only the one canonical encoding of a key is accepted.
     */
    static String decode(String name) {
        if (name.equals("%")) {
            return "";
        }
        if (name.isEmpty()) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && isUpperHex(name, i + 1)) {
                bytes.put((byte) HexFormat.fromHexDigits(name, i + 1, i + 3));
                i += 2;
            } else if (isPlain(c)) {
                bytes.put((byte) c);
            } else {
                return null;
            }
        }
        bytes.flip();
        try {
            String key =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(bytes)
                            .toString();
            return encode(key).equals(name) ? key : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isPlain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }

    private static boolean isUpperHex(String s, int from) {
        if (from + 2 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 2; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** A key with a lone surrogate has no UTF-8 form; replacing it would merge two keys. */
    private static byte[] strictUtf8(String key) {
        try {
            ByteBuffer b =
                    StandardCharsets.UTF_8
                            .newEncoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .encode(CharBuffer.wrap(key));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key is not valid Unicode (lone surrogate)", e);
        }
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(strictUtf8(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

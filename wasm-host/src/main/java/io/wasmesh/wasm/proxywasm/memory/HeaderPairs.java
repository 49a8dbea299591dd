package io.wasmesh.wasm.proxywasm.memory;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proxy-wasm serialization of header maps: {@code u32 count}, then {@code count} pairs of
 * {@code u32 key_len, u32 value_len}, then each key and value followed by a NUL. Little-endian.
 * Input from guests is limited like Envoy's (1 MiB, 1024 pairs) so a hostile map cannot make the
 * host allocate without bound.
 */
public final class HeaderPairs {
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_PAIRS = 1024;

    private HeaderPairs() {}

    public static byte[] serialize(List<Map.Entry<String, String>> entries) {
        int size = 4;
        List<byte[]> parts = new ArrayList<>(entries.size() * 2);
        for (Map.Entry<String, String> e : entries) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            parts.add(k);
            parts.add(v);
            size += 8 + k.length + v.length + 2;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(entries.size());
        for (int i = 0; i < parts.size(); i += 2) {
            out.putInt(parts.get(i).length).putInt(parts.get(i + 1).length);
        }
        for (byte[] part : parts) {
            out.put(part).put((byte) 0);
        }
        return out.array();
    }

    public static byte[] serialize(HeaderMap map) {
        return serialize(map.entries());
    }

    /**
     * Parses a serialized map.
     *
     * @throws IllegalArgumentException when the bytes are malformed or over the limits
     */
    public static HeaderMap deserialize(byte[] bytes) {
        HeaderMap map = new HeaderMap();
        if (bytes.length == 0 || (bytes.length == 1 && bytes[0] == 0)) {
            return map; // both spellings of the empty map are seen in the wild
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "header map of " + bytes.length + " bytes (limit " + MAX_BYTES + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            throw new IllegalArgumentException("header map shorter than its count");
        }
        long count = Integer.toUnsignedLong(in.getInt());
        if (count > MAX_PAIRS || count * 8 > in.remaining()) {
            throw new IllegalArgumentException("header map claims " + count + " pairs");
        }
        int[] lengths = new int[(int) count * 2];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = in.getInt();
        }
        for (int i = 0; i < count; i++) {
            String key = readTerminated(in, lengths[2 * i]);
            String value = readTerminated(in, lengths[2 * i + 1]);
            map.add(key, value);
        }
        return map;
    }

    private static String readTerminated(ByteBuffer in, int len) {
        long need = Integer.toUnsignedLong(len) + 1;
        if (need > in.remaining()) {
            throw new IllegalArgumentException("header map entry runs past the end");
        }
        String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len + 1);
        return s;
    }
}

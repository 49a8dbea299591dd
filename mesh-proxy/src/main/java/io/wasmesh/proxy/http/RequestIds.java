package io.wasmesh.proxy.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for {@code x-request-id}. A request id needs to be unique, not
 * unguessable, so it comes from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s
 * shared {@code SecureRandom}, which every event loop would contend on.
 */
public final class RequestIds {
    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}

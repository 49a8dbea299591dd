package io.wasmesh.controlplane.store.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyFileNamesTest {
    @Test
    void theKeysWeUseStayReadable() {
        assertThat(KeyFileNames.fileName("acme")).isEqualTo("acme");
        assertThat(KeyFileNames.fileName("shop.acme.example")).isEqualTo("shop.acme.example");
        assertThat(KeyFileNames.fileName("acme/0f3a")).isEqualTo("acme%2F0f3a");
        assertThat(KeyFileNames.fileName("wasmesh.tenants")).isEqualTo("wasmesh.tenants");
    }

    @Test
    void separatorsDotNamesAndUpperCaseAreEscaped() {
        assertThat(KeyFileNames.fileName("..")).isEqualTo("%2E.");
        assertThat(KeyFileNames.fileName(".")).isEqualTo("%2E");
        assertThat(KeyFileNames.fileName("../etc/passwd")).isEqualTo("%2E.%2Fetc%2Fpasswd");
        assertThat(KeyFileNames.fileName("a\\b:c")).isEqualTo("a%5Cb%3Ac");
        // Upper case is escaped, so two keys never share a name on a case-insensitive disk.
        assertThat(KeyFileNames.fileName("Acme")).isEqualTo("%41cme");
        assertThat(KeyFileNames.fileName("ü")).isEqualTo("%C3%BC");
        assertThat(KeyFileNames.fileName("")).isEqualTo("%");
    }

    @Test
    void everyStringRoundTripsThroughASafeName() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String key = randomKey(random);
            String name = KeyFileNames.fileName(key);
            assertThat(name).matches("[a-z0-9_.%A-F-]+").doesNotStartWith(".");
            assertThat(KeyFileNames.decode(name)).as("decode(%s)", name).isEqualTo(key);
        }
    }

    @Test
    void namesNotOfOurMakingAreNoKeys() {
        assertThat(KeyFileNames.decode("README")).isNull();
        assertThat(KeyFileNames.decode("acme%2f0f3a")).isNull(); // lower-case hex
        assertThat(KeyFileNames.decode("%61cme")).isNull(); // 'a' needs no escape
        assertThat(KeyFileNames.decode("a%")).isNull();
        assertThat(KeyFileNames.decode("%C3")).isNull(); // half a UTF-8 sequence
        assertThat(KeyFileNames.decode(".tmp-1234")).isNull();
        assertThat(KeyFileNames.decode("")).isNull();
    }

    @Test
    void longKeysGetShortDistinctHashedNames() {
        String base = "t/" + "ü".repeat(400);
        String a = KeyFileNames.fileName(base + "a");
        String b = KeyFileNames.fileName(base + "b");
        assertThat(a).isNotEqualTo(b);
        assertThat(KeyFileNames.isHashed(a)).isTrue();
        assertThat(a.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(KeyFileNames.isHashed(KeyFileNames.fileName("x".repeat(200)))).isFalse();
        assertThat(KeyFileNames.isHashed(KeyFileNames.fileName("x".repeat(201)))).isTrue();
    }

    @Test
    void aKeyThatIsNotUnicodeIsRefusedRatherThanMangled() {
        assertThatThrownBy(() -> KeyFileNames.fileName("half \uD800 a pair"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    private static String randomKey(Random random) {
        int length = random.nextInt(16); // short enough for a plain name
        StringBuilder key = new StringBuilder();
        while (key.length() < length) {
            int codePoint =
                    switch (random.nextInt(4)) {
                        case 0 -> 'a' + random.nextInt(26);
                        case 1 -> 0x20 + random.nextInt(0x5f); // printable ASCII
                        case 2 -> random.nextInt(0xd800); // BMP below the surrogates
                        default -> 0x10000 + random.nextInt(0x10000); // beyond the BMP
                    };
            key.appendCodePoint(codePoint);
        }
        return key.toString();
    }
}

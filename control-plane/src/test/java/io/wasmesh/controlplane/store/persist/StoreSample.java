package io.wasmesh.controlplane.store.persist;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.wasmesh.controlplane.store.MapNames;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Entries like the control plane's, for every persisted map, and how to compare maps. */
final class StoreSample {
    private StoreSample() {}

    /** Map name → key → value: a few realistic entries per map and an odd key in each. */
    static Map<String, Map<String, byte[]>> entries() {
        Random random = new Random(7);
        String sha = HexFormat.of().formatHex(new byte[32]).replace('0', 'e');
        byte[] module = new byte[256 * 1024];
        random.nextBytes(module);
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put(
                MapNames.TENANTS,
                Map.of(
                        "acme", json("{\"name\":\"acme\",\"revision\":3}"),
                        "globex", json("{\"name\":\"globex\",\"revision\":1}")));
        all.put(
                MapNames.DOCUMENTS,
                Map.of("acme/" + sha, json("{\"format\":\"yaml\",\"text\":\"routes: []\\n\"}")));
        all.put(MapNames.MODULES, Map.of("acme/" + sha, module));
        all.put(MapNames.TOKENS, Map.of(sha, json("{\"role\":\"operator\",\"name\":\"ops\"}")));
        all.put(MapNames.DOMAINS, Map.of("shop.acme.example", json("\"acme\"")));
        for (Map.Entry<String, Map<String, byte[]>> map : all.entrySet()) {
            Map<String, byte[]> withOdd = new LinkedHashMap<>(map.getValue());
            withOdd.put("../odd/Key:ü 😀", json("\"odd\""));
            map.setValue(withOdd);
        }
        return all;
    }

    static void putAll(HazelcastInstance member, Map<String, Map<String, byte[]>> entries) {
        entries.forEach((name, map) -> member.<String, byte[]>getMap(name).putAll(map));
    }

    /** A map's entries with values in hex, so that maps compare by content with readable diffs. */
    static Map<String, String> contents(IMap<String, byte[]> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    static Map<String, String> contents(Map<String, byte[]> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }
}

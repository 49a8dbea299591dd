package io.wasmesh.controlplane.store.persist;

import com.hazelcast.config.Config;
import io.wasmesh.controlplane.store.MapNames;
import java.nio.file.Path;

/** TEMPORARY until the persistence branch lands. */
public interface Persistence {
    static Persistence none() {
        return new Persistence() {};
    }

    static Persistence files(Path dir) {
        throw new UnsupportedOperationException("not yet");
    }

    static void apply(Config hz, Persistence p) {
        for (String m : MapNames.PERSISTED) {
            hz.getMapConfig(m).setBackupCount(1);
        }
        hz.getMapConfig(MapNames.PROXIES).setBackupCount(1);
    }
}

package io.wasmesh.controlplane.store.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import io.wasmesh.controlplane.store.MapNames;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@link Persistence#apply} puts into a Hazelcast config (the stores at work: *RestartTest).
 */
class PersistenceTest {
    @Test
    void persistedMapsAreWriteThroughAndLoadedEagerly() {
        Config hz = new Config();
        Persistence.apply(hz, Persistence.files(Path.of("data")));

        for (String name : MapNames.PERSISTED) {
            MapConfig map = hz.getMapConfig(name);
            MapStoreConfig store = map.getMapStoreConfig();
            assertThat(map.getBackupCount()).as(name).isEqualTo(1);
            assertThat(store.isEnabled()).as(name).isTrue();
            assertThat(store.getWriteDelaySeconds()).as(name).isZero();
            assertThat(store.getInitialLoadMode()).isEqualTo(MapStoreConfig.InitialLoadMode.EAGER);
            assertThat(store.getFactoryImplementation()).isNotNull();
        }
        assertThat(hz.getMapConfig(MapNames.PROXIES).getMapStoreConfig().isEnabled()).isFalse();
        assertThat(hz.getMapConfig(MapNames.PROXIES).getBackupCount()).isEqualTo(1);
    }

    @Test
    void noneStoresNothingAndKeepsWhatElseTheConfigSays() {
        Config hz = new Config();
        hz.getMapConfig(MapNames.TENANTS).setStatisticsEnabled(false);
        Persistence.apply(hz, Persistence.none());

        for (String name : MapNames.PERSISTED) {
            assertThat(hz.getMapConfig(name).getMapStoreConfig().isEnabled()).isFalse();
            assertThat(hz.getMapConfig(name).getBackupCount()).isEqualTo(1);
        }
        assertThat(hz.getMapConfig(MapNames.TENANTS).isStatisticsEnabled()).isFalse();
    }

    @Test
    void aPostgresSettingNeverShowsItsPassword() {
        Persistence pg = Persistence.postgres("jdbc:postgresql://db:5432/wasmesh", "cp", "s3cret");
        assertThat(pg.toString())
                .contains("jdbc:postgresql://db:5432/wasmesh", "cp")
                .doesNotContain("s3cret");
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefused() {
        assertThatThrownBy(() -> Persistence.postgres("jdbc:mysql://db/wasmesh", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://");
    }
}

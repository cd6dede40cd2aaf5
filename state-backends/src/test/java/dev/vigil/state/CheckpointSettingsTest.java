package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

class CheckpointSettingsTest {

    @Test
    void hashmapPresetLoadsTheHeapBackend() throws Exception {
        Configuration config =
                CheckpointSettings.localDefaults(URI.create("file:///tmp/vigil-cp"))
                        .applyTo(new Configuration());

        StateBackend backend = load(config);

        assertThat(backend).isInstanceOf(HashMapStateBackend.class);
        assertThat(config.toMap())
                .containsEntry("execution.checkpointing.interval", "5 s")
                .containsEntry("execution.checkpointing.dir", "file:///tmp/vigil-cp")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("restart-strategy.type", "fixed-delay")
                .containsEntry("restart-strategy.fixed-delay.attempts", "5")
                .containsEntry("pipeline.generic-types", "false");
    }

    @Test
    void rocksdbPresetLoadsRocksDbWithIncrementalCheckpoints() throws Exception {
        Configuration config =
                new CheckpointSettings(
                                StatePreset.parse("rocksdb-incremental"),
                                Duration.ofSeconds(30),
                                null,
                                3,
                                Duration.ofSeconds(10))
                        .applyTo(new Configuration());

        StateBackend backend = load(config);

        assertThat(backend).isInstanceOf(EmbeddedRocksDBStateBackend.class);
        assertThat(((EmbeddedRocksDBStateBackend) backend).isIncrementalCheckpointsEnabled())
                .isTrue();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> StatePreset.parse("forst"))
                .hasMessage("unknown state preset 'forst': use hashmap or rocksdb-incremental");
        assertThatThrownBy(
                        () ->
                                new CheckpointSettings(
                                        StatePreset.HASHMAP,
                                        Duration.ZERO,
                                        null,
                                        1,
                                        Duration.ofSeconds(1)))
                .hasMessage("checkpoint interval must be positive, was PT0S");
    }

    private static StateBackend load(Configuration config) throws Exception {
        return StateBackendLoader.loadStateBackendFromConfig(
                config, CheckpointSettingsTest.class.getClassLoader(), null);
    }
}

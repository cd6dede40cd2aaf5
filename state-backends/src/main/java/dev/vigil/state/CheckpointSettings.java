package dev.vigil.state;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * How a Vigil job checkpoints, restarts and stores state, turned into Flink configuration in one
 * place. Exactly-once Kafka output commits on checkpoints, so the interval is also the latency with
 * which {@code read_committed} readers see results.
 *
 * @param preset state backend preset
 * @param interval time between checkpoint starts
 * @param checkpointDirectory where checkpoints go (a URI such as {@code file:///data/checkpoints});
 *     null keeps the cluster's setting
 * @param restartAttempts restarts before the job fails for good (bounded, so that a broken job
 *     surfaces instead of looping)
 * @param restartDelay wait between restarts
 */
public record CheckpointSettings(
        StatePreset preset,
        Duration interval,
        URI checkpointDirectory,
        int restartAttempts,
        Duration restartDelay) {

    public CheckpointSettings {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(restartDelay, "restartDelay");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(
                    "checkpoint interval must be positive, was " + interval);
        }
        if (restartAttempts < 0) {
            throw new IllegalArgumentException(
                    "restart attempts must be >= 0, was " + restartAttempts);
        }
    }

    /** Defaults of the local cluster: heap state, a checkpoint every 5 s, 5 restarts 5 s apart. */
    public static CheckpointSettings localDefaults(URI checkpointDirectory) {
        return new CheckpointSettings(
                StatePreset.HASHMAP,
                Duration.ofSeconds(5),
                checkpointDirectory,
                5,
                Duration.ofSeconds(5));
    }

    /** Writes these settings into {@code config}. */
    public Configuration applyTo(Configuration config) {
        config.set(StateBackendOptions.STATE_BACKEND, preset.backend());
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, preset.incremental());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        config.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        config.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, interval.dividedBy(5));
        config.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(5));
        config.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (checkpointDirectory != null) {
            config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory.toString());
        }
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
        // Every state type must have a real serializer: Avro, POJO or Flink basic types.
        config.set(PipelineOptions.GENERIC_TYPES, false);
        return config;
    }
}

package dev.vigil.state;

import java.util.Locale;

/**
 * Where keyed state lives. Jobs choose a preset by name ({@code --state.preset}); the preset only
 * sets configuration keys, so the same job jar runs with either.
 */
public enum StatePreset {
    /**
     * State on the JVM heap, full snapshots. Fastest; for tests, the local cluster and state that
     * fits in memory.
     */
    HASHMAP("hashmap", false),
    /**
     * RocksDB on local disk with incremental checkpoints: for production state larger than memory
     * and for short checkpoint times with large state. Needs {@code flink-statebackend-rocksdb} on
     * the cluster.
     */
    ROCKSDB_INCREMENTAL("rocksdb", true);

    private final String backend;
    private final boolean incremental;

    StatePreset(String backend, boolean incremental) {
        this.backend = backend;
        this.incremental = incremental;
    }

    /** Value of {@code state.backend.type}. */
    public String backend() {
        return backend;
    }

    /** Whether checkpoints upload only what changed since the previous one. */
    public boolean incremental() {
        return incremental;
    }

    /** Parses {@code hashmap} or {@code rocksdb-incremental} (case-insensitive). */
    public static StatePreset parse(String name) {
        String normalised = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (StatePreset preset : values()) {
            if (preset.name().equals(normalised)) {
                return preset;
            }
        }
        throw new IllegalArgumentException(
                "unknown state preset '" + name + "': use hashmap or rocksdb-incremental");
    }
}

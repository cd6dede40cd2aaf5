package dev.vigil.operators.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionClocksTest {

    private static final long T = 1_800_000_000_000L;
    private static final long NO_REFERENCE = Long.MAX_VALUE;

    @Test
    void aRecordMeetsItsOwnPartitionsWatermarkOnly() {
        PartitionClocks clocks = new PartitionClocks(5_000);
        assertThat(clocks.observe(0, T, NO_REFERENCE)).isEqualTo(EventTimes.NONE);
        // partition 1 far ahead does not move partition 0
        assertThat(clocks.observe(1, T + 600_000, NO_REFERENCE)).isEqualTo(EventTimes.NONE);
        assertThat(clocks.observe(0, T + 1_000, NO_REFERENCE)).isEqualTo(T - 5_001);
        assertThat(clocks.observe(0, T - 4_000, NO_REFERENCE)).isEqualTo(T + 1_000 - 5_001);
        assertThat(clocks.newest(0)).isEqualTo(T + 1_000);
        assertThat(clocks.newest()).isEqualTo(T + 600_000);
    }

    @Test
    void aFutureDatedEventMovesItsPartitionNoFurtherThanTheReferenceTime() {
        PartitionClocks clocks = new PartitionClocks(5_000);
        long broker = T;
        clocks.observe(0, T - 100, broker);
        // 4 minutes ahead of the broker clock (within the validators' allowance)
        clocks.observe(0, T + 240_000, broker + 10);
        assertThat(clocks.newest(0)).isEqualTo(broker + 10);
        // the next node's on-time event is not late
        long watermark = clocks.observe(0, T + 20, broker + 30);
        assertThat(watermark).isEqualTo(broker + 10 - 5_001);
        assertThat(T + 20).isGreaterThan(watermark);
    }

    @Test
    void restoredClocksContinueAndTheNewestTimeWins() {
        PartitionClocks clocks = new PartitionClocks(1_000);
        clocks.observe(3, T, NO_REFERENCE);
        PartitionClocks restored = new PartitionClocks(1_000);
        clocks.snapshot().forEach(restored::restore);
        restored.restore(3, T - 50_000);
        assertThat(restored.observe(3, T - 500, NO_REFERENCE))
                .isEqualTo(clocks.observe(3, T - 500, NO_REFERENCE))
                .isEqualTo(T - 1_001);
    }
}

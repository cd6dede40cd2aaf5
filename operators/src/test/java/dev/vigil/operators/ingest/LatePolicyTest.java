package dev.vigil.operators.ingest;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatePolicyTest {

    @Test
    void perEventLatenessIsMeasuredFromThePartitionWatermark() {
        LatePolicy strict = LatePolicy.events(Duration.ZERO);
        assertThat(strict.tooLate(T0, T0)).isTrue();
        assertThat(strict.tooLate(T0 + 1, T0)).isFalse();
        assertThat(strict.tooLate(T0 - 1_000_000, Long.MIN_VALUE)).isFalse();

        LatePolicy twoMinutes = LatePolicy.events(Duration.ofMinutes(2));
        assertThat(twoMinutes.tooLate(T0 - 120_000, T0)).isTrue();
        assertThat(twoMinutes.tooLate(T0 - 119_999, T0)).isFalse();
        assertThat(twoMinutes.explain(T0 - 150_000, 3, T0))
                .isEqualTo(
                        "event_time 2026-11-22T09:57:30Z is behind partition 3's watermark"
                                + " 2026-11-22T10:00:00Z (its newest event time minus the"
                                + " out-of-orderness bound) by more than the allowed lateness"
                                + " PT2M");
    }

    @Test
    void windowLatenessFollowsFlinksRuleOnThePartitionsClock() {
        LatePolicy minute = LatePolicy.windows(Duration.ofMinutes(1), Duration.ofMinutes(1));
        // window [T0, T0+60s) may take events until the watermark reaches T0+60s-1+60s
        assertThat(minute.tooLate(T0 + 10, T0 + 119_998)).isFalse();
        assertThat(minute.tooLate(T0 + 10, T0 + 119_999)).isTrue();
        assertThat(minute.explain(T0 + 10, 0, T0 + 119_999))
                .startsWith(
                        "event_time 2026-11-22T10:00:00.010Z belongs to the window"
                                + " [2026-11-22T10:00:00Z, 2026-11-22T10:01:00Z), which closed"
                                + " for good at partition 0's watermark");
    }

    @Test
    void theHorizonCapsEveryPolicy() {
        LatePolicy never = LatePolicy.never().withHorizon(Duration.ofMinutes(10));
        assertThat(never.tooLate(T0 - 599_999, T0)).isFalse();
        assertThat(never.tooLate(T0 - 600_000, T0)).isTrue();
    }
}

package dev.vigil.operators.threat.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StrengthBucketTest {

    @Test
    void scoresStaySortedByTimeAndAScoreAtTheSameTimeReplacesTheOldOne() {
        long[] b = StrengthBucket.with(null, 300, 0.3);
        b = StrengthBucket.with(b, 100, 0.1);
        b = StrengthBucket.with(b, 200, 0.2);
        b = StrengthBucket.with(b, 200, 0.25);
        assertThat(b)
                .containsExactly(
                        100,
                        Double.doubleToLongBits(0.1),
                        200,
                        Double.doubleToLongBits(0.25),
                        300,
                        Double.doubleToLongBits(0.3));
    }

    @Test
    void newestTakesTheLatestScoreInTheRangeOrNone() {
        long[] b = StrengthBucket.with(StrengthBucket.with(null, 100, 0.1), 200, 0.2);
        assertThat(StrengthBucket.newest(b, 0, 250)).isEqualTo(0.2);
        assertThat(StrengthBucket.newest(b, 0, 199)).isEqualTo(0.1);
        assertThat(StrengthBucket.newest(b, 150, 199)).isNull();
        assertThat(StrengthBucket.newest(b, 0, 99)).isNull();
        assertThat(StrengthBucket.newest(null, 0, 1_000)).isNull();
    }
}

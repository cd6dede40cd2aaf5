package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoresTest {

    @Test
    void reconstructionErrorIsTheMeanSquaredErrorWithShares() {
        double[] share = new double[3];
        double error =
                Scores.reconstructionError(
                        new float[] {1f, 2f, 3f}, new float[] {1f, 0f, 4f}, share);
        assertThat(error).isEqualTo((0 + 4 + 1) / 3.0);
        assertThat(share).containsExactly(0.0, 0.8, 0.2);
    }

    @Test
    void strengthIsHalfAtTheThresholdAndBoundedByOne() {
        assertThat(Scores.strength(0, 2)).isZero();
        assertThat(Scores.strength(2, 2)).isEqualTo(0.5);
        assertThat(Scores.strength(6, 2)).isEqualTo(0.75);
        assertThat(Scores.strength(1e12, 2)).isCloseTo(1.0, within(1e-9)).isLessThan(1.0);
        assertThat(Scores.strength(Double.NaN, 2)).isZero();
    }
}

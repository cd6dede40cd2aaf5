package dev.vigil.operators.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerIntegratorTest {

    @Test
    void trapezoidsBetweenPowerSamplesInExactUnits() {
        PowerIntegrator p = new PowerIntegrator(60_000);
        assertThat(p.add(0, 100.0, null).slices()).isEmpty();
        // (100 W + 200 W) / 2 · 2 s = 300 J = 6e8 half-µJ
        EnergySlice s = p.add(2_000, 200.0, null).slices().get(0);
        assertThat(s)
                .isEqualTo(new EnergySlice(0, 2_000, 600_000_000L, EnergySlice.Method.TRAPEZOID));
        assertThat(s.joules()).isEqualTo(300.0);
        // 0.0015 W rounds to 2 mW: (200,000 + 2) mW · 1,000 ms
        assertThat(p.add(3_000, 0.0015, null).slices().get(0).halfMicrojoules())
                .isEqualTo(200_002_000L);
    }

    @Test
    void theCounterWinsWhenBothReadingsHaveOneAndAResetFallsBackToPower() {
        PowerIntegrator p = new PowerIntegrator(60_000);
        p.add(0, 100.0, 5_000.0);
        // the meter says 150 J (power alone would say 100 J)
        assertThat(p.add(1_000, 100.0, 5_150.0).slices())
                .containsExactly(
                        new EnergySlice(0, 1_000, 300_000_000L, EnergySlice.Method.COUNTER));
        // the counter went back to 20 J: this interval comes from power
        assertThat(p.add(2_000, 300.0, 20.0).slices())
                .containsExactly(
                        new EnergySlice(1_000, 2_000, 400_000_000L, EnergySlice.Method.TRAPEZOID));
        assertThat(p.resets()).isEqualTo(1);
        assertThat(p.add(3_000, 300.0, 320.0).slices().get(0).method())
                .isEqualTo(EnergySlice.Method.COUNTER);
    }

    @Test
    void longGapsAreReportedNotIntegratedAndDuplicatesChangeNothing() {
        PowerIntegrator p = new PowerIntegrator(10_000);
        p.add(0, 100.0, null);
        PowerIntegrator.Step gap = p.add(70_000, 100.0, null);
        assertThat(gap.slices()).isEmpty();
        assertThat(gap.gap()).isTrue();
        assertThat(gap.gapFrom()).isZero();
        assertThat(gap.gapTo()).isEqualTo(70_000);
        PowerIntegrator.Step dup = p.add(70_000, 999.0, null);
        assertThat(dup.duplicate()).isTrue();
        assertThat(p.duplicates()).isEqualTo(1);
        // the next interval uses the first sample at 70 s, not the duplicate
        assertThat(p.add(71_000, 100.0, null).slices().get(0).halfMicrojoules())
                .isEqualTo(200_000_000L);
        assertThatThrownBy(() -> p.add(60_000, 1.0, null))
                .hasMessageContaining("older than the previous one");
    }

    @Test
    void splittingASliceAnywhereConservesItsEnergyExactly() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long from = random.nextInt(1_000_000);
            long to = from + 2 + random.nextInt(600_000);
            long energy = Math.abs(random.nextLong() % 2_000_000_000_000L);
            EnergySlice slice = new EnergySlice(from, to, energy, EnergySlice.Method.TRAPEZOID);
            long at = from + 1 + random.nextInt((int) (to - from - 1));
            EnergySlice[] parts = slice.splitAt(at);
            assertThat(parts[0].halfMicrojoules() + parts[1].halfMicrojoules()).isEqualTo(energy);
            assertThat(parts[0].to()).isEqualTo(at);
            assertThat(parts[1].from()).isEqualTo(at);
        }
        // proportional: a quarter of 1,000 units
        assertThat(
                        new EnergySlice(0, 4_000, 1_000, EnergySlice.Method.COUNTER)
                                .splitAt(1_000)[0].halfMicrojoules())
                .isEqualTo(250);
    }

    @Test
    void sumsOfSlicesDoNotDependOnHowTheyAreGrouped() {
        PowerIntegrator p = new PowerIntegrator(60_000);
        Random random = new Random(3);
        List<EnergySlice> slices = new ArrayList<>();
        for (int s = 0; s < 3_600; s++) {
            slices.addAll(p.add(s * 1_000L, 50 + random.nextDouble() * 500, null).slices());
        }
        long total = slices.stream().mapToLong(EnergySlice::halfMicrojoules).sum();
        long byMinute = 0;
        for (int m = 0; m < 60; m++) {
            final int minute = m;
            byMinute +=
                    slices.stream()
                            .filter(x -> x.from() / 60_000 == minute)
                            .mapToLong(EnergySlice::halfMicrojoules)
                            .sum();
        }
        assertThat(byMinute).isEqualTo(total);
    }

    @Test
    void theSeedsWorkedExample() {
        // grid 100 kWh, solar 200, wind 100 → 46 kg CO2 and 75 % renewable; 50 kg credits → −4
        SeedCarbon.Totals t =
                SeedCarbon.of(
                        new BigDecimal("100"),
                        new BigDecimal("200"),
                        new BigDecimal("100"),
                        new BigDecimal("50"));
        assertThat(t.emissionsKg()).isEqualByComparingTo("46");
        assertThat(t.renewableShare()).isEqualByComparingTo("0.75");
        assertThat(t.netKg()).isEqualByComparingTo("-4");
    }
}

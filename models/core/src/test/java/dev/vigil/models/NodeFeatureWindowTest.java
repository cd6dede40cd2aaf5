package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeFeatureWindowTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a whole minute

    private static double[] sample(double cpu, double memory, double temperature) {
        return NodeFeatureWindow.values(
                cpu, memory, 50.0, 1000L, 2000L, 0.0, 10.0, temperature, 0.01, 100.0, 1000L);
    }

    private static double feature(NodeFeatureWindow w, String name) {
        return w.features()[NodeFeatures.indexOf(name)];
    }

    @Test
    void namesFollowTheDocumentedOrder() {
        assertThat(NodeFeatures.SIZE).isEqualTo(10 * 9 + 3);
        assertThat(NodeFeatures.NAMES.subList(0, 9))
                .containsExactly(
                        "cpu.last",
                        "cpu.mean_1m",
                        "cpu.mean_5m",
                        "cpu.mean_15m",
                        "cpu.delta",
                        "cpu.rate_5m",
                        "cpu.rate_15m",
                        "cpu.ewma_15s",
                        "cpu.trend");
        assertThat(NodeFeatures.NAMES.subList(90, 93))
                .containsExactly(
                        "memory.minutes_to_full",
                        "disk.minutes_to_full",
                        "temperature.minutes_to_40c");
    }

    @Test
    void meansRatesAndDeltaFromHandComputedMinutes() {
        NodeFeatureWindow w = new NodeFeatureWindow();
        // memory: minute 0 at 40, 1 at 42, 2 at 44, 3 at 46, 4 at 48 (two samples per minute)
        for (int minute = 0; minute < 5; minute++) {
            double memory = 40 + 2 * minute;
            w.add(T0 + minute * 60_000L, sample(10, memory, 30));
            w.add(T0 + minute * 60_000L + 30_000L, sample(20, memory, 30));
        }
        assertThat(feature(w, "memory.last")).isEqualTo(48.0);
        assertThat(feature(w, "memory.mean_1m")).isEqualTo(48.0);
        assertThat(feature(w, "memory.mean_5m")).isEqualTo(44.0); // (40+42+44+46+48)/5
        assertThat(feature(w, "memory.mean_15m")).isEqualTo(44.0);
        assertThat(feature(w, "memory.delta")).isEqualTo(4.0);
        assertThat(feature(w, "memory.rate_5m")).isEqualTo(2.0); // (48 − 40) / 4 minutes
        assertThat(feature(w, "memory.rate_15m")).isEqualTo(2.0); // oldest held: minute 0
        assertThat(feature(w, "memory.minutes_to_full")).isEqualTo(26.0); // (100 − 48) / 2
        assertThat(feature(w, "cpu.last")).isEqualTo(20.0);
        assertThat(feature(w, "cpu.mean_1m")).isEqualTo(15.0);
        assertThat(feature(w, "temperature.minutes_to_40c"))
                .isEqualTo(NodeFeatures.HORIZON_CAP_MINUTES); // flat
        // network counters become ln(1 + bytes per second)
        assertThat(feature(w, "net_out.last")).isCloseTo(Math.log1p(2000), within(1e-12));
    }

    @Test
    void theFastSlopeSeesASteadyRampWithinSeconds() {
        NodeFeatureWindow w = new NodeFeatureWindow();
        for (int s = 0; s <= 600; s++) {
            w.add(T0 + s * 1000L, sample(20, 50, 30));
        }
        assertThat(feature(w, "temperature.ewma_15s")).isCloseTo(30.0, within(1e-9));
        assertThat(feature(w, "temperature.trend")).isCloseTo(0.0, within(1e-9));
        // +0.2 °C per second for 60 s: 12 °C per minute
        for (int s = 1; s <= 60; s++) {
            w.add(T0 + (600 + s) * 1000L, sample(20, 50, 30 + 0.2 * s));
        }
        // after t = 60 s of a ramp of r per second an average with time constant τ trails the
        // ramp by r·τ·(1 − e^(−t/τ)): 14.7·r for τ = 15 s, 37.9·r for τ = 60 s; the trend reads
        // (37.9 − 14.7)·r / 45 s = 0.516·r per second = 6.2 °C per minute, half the ramp's
        // rate after one minute and rising towards it
        assertThat(feature(w, "temperature.trend")).isCloseTo(6.2, within(0.2));
        // 42 °C already: over the limit
        assertThat(feature(w, "temperature.minutes_to_40c")).isZero();
        assertThat(feature(w, "temperature.rate_5m")).isLessThan(5.0); // minutes react slowly
    }

    @Test
    void aFullNodeHasNoTimeLeftAndAMissingMetricStaysIncomplete() {
        NodeFeatureWindow w = new NodeFeatureWindow();
        double[] partial = sample(10, 99.0, 30);
        partial[NodeFeatures.TEMPERATURE] = Double.NaN;
        w.add(T0, partial);
        assertThat(w.complete()).isFalse();
        w.add(T0 + 1000, sample(10, 100.0, 41));
        assertThat(w.complete()).isTrue();
        assertThat(feature(w, "memory.minutes_to_full")).isZero();
        assertThat(feature(w, "temperature.minutes_to_40c")).isZero();
    }

    @Test
    void samplesOlderThanTheWindowAreRefusedAndLastIsTheNewestByEventTime() {
        NodeFeatureWindow w = new NodeFeatureWindow();
        assertThat(w.add(T0 + 20 * 60_000L, sample(50, 50, 30))).isTrue();
        assertThat(w.add(T0 + 19 * 60_000L, sample(70, 50, 30))).isTrue(); // late but held
        assertThat(feature(w, "cpu.last")).isEqualTo(50.0);
        assertThat(w.add(T0 + 4 * 60_000L, sample(90, 50, 30))).isFalse(); // 16 minutes behind
        assertThat(w.samples()).isEqualTo(2);
        assertThat(feature(w, "cpu.mean_5m")).isEqualTo(60.0);
    }

    @Test
    void featuresDoNotDependOnArrivalOrder() {
        List<double[]> samples = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        Random random = new Random(7);
        for (int s = 0; s < 600; s++) {
            times.add(T0 + s * 1000L);
            samples.add(sample(random.nextInt(100), 40 + s / 60.0, 25 + random.nextInt(5)));
        }
        NodeFeatureWindow inOrder = new NodeFeatureWindow();
        for (int s = 0; s < 600; s++) {
            inOrder.add(times.get(s), samples.get(s));
        }
        List<Integer> shuffled = new ArrayList<>();
        for (int s = 0; s < 600; s++) {
            shuffled.add(s);
        }
        // shuffle within blocks of ten seconds: out of order within a watermark bound
        for (int b = 0; b < 600; b += 10) {
            Collections.shuffle(shuffled.subList(b, b + 10), random);
        }
        NodeFeatureWindow outOfOrder = new NodeFeatureWindow();
        for (int s : shuffled) {
            outOfOrder.add(times.get(s), samples.get(s));
        }
        double[] a = inOrder.features();
        double[] b = outOfOrder.features();
        for (int i = 0; i < a.length; i++) {
            String name = NodeFeatures.NAMES.get(i);
            if (name.contains("_15s") || name.contains("trend") || name.contains("minutes_to")) {
                continue; // the fast average follows arrival order by design
            }
            assertThat(b[i]).as(name).isCloseTo(a[i], within(1e-9));
        }
    }

    @Test
    void writeAndReadRestoreTheWindowExactly() throws Exception {
        NodeFeatureWindow w = new NodeFeatureWindow();
        for (int s = 0; s < 1500; s += 7) {
            w.add(T0 + s * 1000L, sample(s % 100, 40 + s / 100.0, 30));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        w.writeTo(new DataOutputStream(bytes));
        NodeFeatureWindow read =
                NodeFeatureWindow.readFrom(
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(w);
        assertThat(read.features()).containsExactly(w.features());
        assertThat(w.copy()).isEqualTo(w);
    }
}

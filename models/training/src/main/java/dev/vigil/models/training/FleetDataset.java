package dev.vigil.models.training;

import dev.vigil.models.FailureCondition;
import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.models.NodeFeatures;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.FleetSimulator;
import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feature vectors of a simulated fleet, computed with the serving code ({@link NodeFeatureWindow})
 * every {@code interval} of event time per node, with what the simulator knows about each: whether
 * the node is inside an injected attack, and when it next fails ({@link FailureCondition}).
 */
public final class FleetDataset {

    /** One scored moment of one node. */
    public record Sample(
            String nodeId,
            long time,
            double[] features,
            boolean failedNow,
            long nextFailure,
            long lastFailure,
            String context,
            String scenario,
            String incident) {

        /** Whether the node fails within {@code horizonMillis} after this sample, or has failed. */
        public boolean failsWithin(long horizonMillis) {
            return failedNow || (nextFailure > time && nextFailure - time <= horizonMillis);
        }

        /**
         * Whether the node failed within {@code millis} before this sample: it is recovering, and
         * an alarm now is about the incident that just happened, not a false one.
         */
        public boolean recovering(long millis) {
            return lastFailure > 0 && time - lastFailure <= millis;
        }

        /** Whether no injection touched the node recently: see {@link #AFTERMATH_MILLIS}. */
        public boolean quiet() {
            return context == null;
        }

        /** Whether the sample lies inside an injected attack (not a near miss) on its node. */
        public boolean attacked() {
            return scenario != null;
        }
    }

    /**
     * A failure onset: the first failed sample after at least {@link #INCIDENT_GAP_MILLIS} without
     * one (a reading that flaps around the limit is one incident, not many).
     */
    public record Onset(String nodeId, long time) {}

    /** Failures closer together than this are one incident. */
    public static final long INCIDENT_GAP_MILLIS = 10 * 60_000L;

    /**
     * A sample is quiet when no injection (attack or near miss) touched its node from the
     * injection's start until this long after its end (the longest feature window).
     */
    public static final long AFTERMATH_MILLIS = 16 * 60_000L;

    private final List<Sample> samples;
    private final List<Onset> onsets;
    private final List<GroundTruthLabel> labels;
    private final String sha256;

    private FleetDataset(
            List<Sample> samples, List<Onset> onsets, List<GroundTruthLabel> labels, String hash) {
        this.samples = samples;
        this.onsets = onsets;
        this.labels = labels;
        this.sha256 = hash;
    }

    /**
     * Simulates {@code spec} for {@code durationMillis} from {@code startMillis} and collects
     * samples.
     *
     * @param warmUpMillis samples before this much history per node are not collected
     */
    public static FleetDataset simulate(
            FleetSpec spec,
            Set<ScenarioType> scenarios,
            double scenariosPerHour,
            long startMillis,
            long durationMillis,
            long intervalMillis,
            long warmUpMillis) {
        FleetSimulator simulator =
                new FleetSimulator(Fleet.of(spec), 1000L, scenarios, scenariosPerHour, startMillis);
        Collector collector = new Collector(intervalMillis, startMillis + warmUpMillis);
        long ticks = durationMillis / 1000L;
        for (long i = 0; i < ticks; i++) {
            simulator.next(collector);
        }
        return collector.finish();
    }

    public List<Sample> samples() {
        return samples;
    }

    public List<Onset> onsets() {
        return onsets;
    }

    public List<GroundTruthLabel> labels() {
        return labels;
    }

    /** SHA-256 over every sample's node, time and features: the training-data hash. */
    public String sha256() {
        return sha256;
    }

    private static final class Collector implements FleetSimulator.Output {
        private final long intervalMillis;
        private final long collectFrom;
        private final Map<String, NodeFeatureWindow> windows = new HashMap<>();
        private final Map<String, Long> lastScored = new HashMap<>();
        private final Map<String, Long> lastFailed = new HashMap<>();
        private final List<Sample> raw = new ArrayList<>();
        private final List<Onset> onsets = new ArrayList<>();
        private final List<GroundTruthLabel> labels = new ArrayList<>();

        Collector(long intervalMillis, long collectFrom) {
            this.intervalMillis = intervalMillis;
            this.collectFrom = collectFrom;
        }

        @Override
        public void telemetry(TelemetryEvent event) {
            MetricSample m = event.getMetric();
            if (m == null) {
                return;
            }
            String node = event.getNode().getNodeId();
            long t = event.getEventTime().toEpochMilli();
            NodeFeatureWindow window = windows.computeIfAbsent(node, n -> new NodeFeatureWindow());
            window.add(t, NodeFeatureWindow.values(m));
            boolean failedNow =
                    FailureCondition.failed(
                            m.getMemoryPercent(), m.getDiskPercent(), m.getTemperatureC());
            Long previous = lastFailed.get(node);
            if (failedNow) {
                if (previous == null || t - previous > INCIDENT_GAP_MILLIS) {
                    onsets.add(new Onset(node, t));
                }
                lastFailed.put(node, t);
            }
            Long last = lastScored.get(node);
            if (t >= collectFrom && (last == null || t - last >= intervalMillis)) {
                lastScored.put(node, t);
                long lastFailure = lastFailed.getOrDefault(node, 0L);
                raw.add(
                        new Sample(
                                node,
                                t,
                                window.features(),
                                failedNow,
                                0,
                                lastFailure,
                                null,
                                null,
                                null));
            }
        }

        @Override
        public void label(GroundTruthLabel label) {
            labels.add(label);
        }

        @Override
        public void gridIntensity(GridIntensity intensity) {}

        FleetDataset finish() {
            Map<String, List<Long>> onsetsByNode = new HashMap<>();
            for (Onset o : onsets) {
                onsetsByNode.computeIfAbsent(o.nodeId(), n -> new ArrayList<>()).add(o.time());
            }
            List<Sample> samples = new ArrayList<>(raw.size());
            MessageDigest digest = sha256();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            for (Sample s : raw) {
                long next = 0;
                for (long o : onsetsByNode.getOrDefault(s.nodeId(), List.of())) {
                    if (o > s.time()) {
                        next = o;
                        break;
                    }
                }
                String[] attack = attack(s.nodeId(), s.time());
                samples.add(
                        new Sample(
                                s.nodeId(),
                                s.time(),
                                s.features(),
                                s.failedNow(),
                                next,
                                s.lastFailure(),
                                context(s.nodeId(), s.time()),
                                attack[0],
                                attack[1]));
                try {
                    bytes.reset();
                    data.writeUTF(s.nodeId());
                    data.writeLong(s.time());
                    for (double f : s.features()) {
                        data.writeDouble(f);
                    }
                    data.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                digest.update(bytes.toByteArray());
            }
            return new FleetDataset(
                    samples,
                    List.copyOf(onsets),
                    List.copyOf(labels),
                    HexFormat.of().formatHex(digest.digest()));
        }

        private String[] attack(String node, long t) {
            for (GroundTruthLabel l : labels) {
                if (!l.getNearMiss()
                        && l.getNodeIds().contains(node)
                        && t >= l.getStartTime().toEpochMilli()
                        && t <= l.getEndTime().toEpochMilli()) {
                    return new String[] {l.getScenario(), l.getScenarioId()};
                }
            }
            return new String[2];
        }

        /** The injection that touched the node most recently, or null. */
        private String context(String node, long t) {
            GroundTruthLabel latest = null;
            for (GroundTruthLabel l : labels) {
                if (l.getNodeIds().contains(node)
                        && t >= l.getStartTime().toEpochMilli()
                        && t <= l.getEndTime().toEpochMilli() + AFTERMATH_MILLIS
                        && (latest == null || l.getStartTime().isAfter(latest.getStartTime()))) {
                    latest = l;
                }
            }
            return latest == null
                    ? null
                    : latest.getScenario() + (latest.getNearMiss() ? " (near miss)" : "");
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Number of features per sample. */
    public static int width() {
        return NodeFeatures.SIZE;
    }
}

package dev.vigil.bench.jmh;

import dev.vigil.audit.AuditChain;
import dev.vigil.bench.SimulatedFleet;
import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.operators.carbon.CarbonSettings;
import dev.vigil.operators.carbon.NodeLedger;
import dev.vigil.operators.carbon.NodeMinute;
import dev.vigil.operators.carbon.PowerIntegrator;
import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.operators.threat.enrich.DerivedFeatures;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.Condition;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.operators.threat.rules.RuleValidationException;
import dev.vigil.operators.threat.rules.StepDefinition;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.TelemetryBinaryReader;
import dev.vigil.schema.identity.NodeIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH microbenchmarks of per-event hot paths, each over the same deterministic simulated telemetry
 * (20 nodes, 5 minutes, every scenario; seed 42): decoding + validation, rule conditions,
 * feature-window updates, energy integration in the node ledger, and audit hash chaining. Scores
 * are operations (events or entries) per second on one thread.
 *
 * <p>Run: {@code bench/run-jmh.sh} (options after it go to JMH, e.g. {@code -f 1 -wi 2 -i 3}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPaths {

    private byte[][] encoded;
    private byte[][] macs;
    private NodeIdentity identity;
    private TelemetryEvent[] events;
    private double[][] metricValues;
    private long[] metricTimes;
    private int next;
    private AvroCodec<TelemetryEvent> codec;
    private TelemetryValidator validator;
    private NodeFeatureWindow window;
    private NodeLedger ledger;
    private CarbonSettings settings;
    private long ledgerClock;
    private AuditChain chain;
    private byte[] payload;
    private EnrichedEvent[] enriched;
    private List<Condition> conditions;

    @Setup(Level.Trial)
    public void setUp() {
        List<TelemetryEvent> all = SimulatedFleet.telemetry(20, 300);
        codec = AvroCodec.of(TelemetryEvent.class);
        validator = TelemetryValidator.withDefaults();
        events = all.toArray(new TelemetryEvent[0]);
        encoded = new byte[events.length][];
        for (int i = 0; i < events.length; i++) {
            encoded[i] = codec.encode(events[i]);
        }
        byte[] fleetKey = new byte[NodeIdentity.KEY_BYTES];
        java.util.Arrays.fill(fleetKey, (byte) 42);
        identity = NodeIdentity.ofFleetKey(fleetKey);
        macs = new byte[events.length][];
        for (int i = 0; i < events.length; i++) {
            macs[i] = identity.signAs(events[i].getNode().getNodeId(), encoded[i]);
        }
        List<TelemetryEvent> metrics =
                all.stream()
                        .filter(e -> e.getMetric() != null && e.getSensorId().equals("sys"))
                        .filter(
                                e ->
                                        e.getNode()
                                                .getNodeId()
                                                .equals(all.get(0).getNode().getNodeId()))
                        .toList();
        metricValues = new double[metrics.size()][];
        metricTimes = new long[metrics.size()];
        for (int i = 0; i < metrics.size(); i++) {
            metricValues[i] = NodeFeatureWindow.values(metrics.get(i).getMetric());
            metricTimes[i] = metrics.get(i).getEventTime().toEpochMilli();
        }
        window = new NodeFeatureWindow();
        settings = CarbonSettings.defaults();
        ledger = new NodeLedger();
        ledger.identify("hub", "region", "cluster", "node", "site", "edge-standard");
        chain = new AuditChain("bench");
        payload = encoded[0];
        enriched = new EnrichedEvent[events.length];
        for (int i = 0; i < events.length; i++) {
            enriched[i] = new EnrichedEvent(events[i], new DerivedFeatures(), 0, i);
        }
        conditions = new ArrayList<>();
        try {
            for (String json : RuleCatalogue.builtIn()) {
                RuleDefinition rule = RuleParser.parse(json);
                if (rule.scope() != null) {
                    conditions.add(rule.scope());
                }
                for (StepDefinition step : rule.steps()) {
                    conditions.add(step.where());
                }
            }
        } catch (RuleValidationException e) {
            throw new IllegalStateException("the built-in catalogue does not parse", e);
        }
    }

    /**
     * Every condition of the built-in catalogue (scopes and step conditions, 17 rules) against one
     * event: the per-event cost of rule matching without the CEP automaton.
     */
    @Benchmark
    public void ruleConditions(Blackhole bh) {
        EnrichedEvent e = enriched[next++ % enriched.length];
        int matched = 0;
        for (Condition c : conditions) {
            if (c.test(e)) {
                matched++;
            }
        }
        bh.consume(matched);
    }

    /** Avro decoding of a telemetry record and its validation. */
    @Benchmark
    public void decodeAndValidate(Blackhole bh) throws Exception {
        byte[] bytes = encoded[next++ % encoded.length];
        TelemetryEvent e = codec.decode(bytes);
        bh.consume(validator.validate(e, e.getEventTime().toEpochMilli()));
    }

    /**
     * The same with the hand-written reader the ingest path uses for the current schema (the codec
     * above is its baseline and fallback).
     */
    @Benchmark
    public void decodeFastAndValidate(Blackhole bh) {
        byte[] bytes = encoded[next++ % encoded.length];
        TelemetryEvent e = TelemetryBinaryReader.read(bytes);
        bh.consume(validator.validate(e, e.getEventTime().toEpochMilli()));
    }

    /**
     * {@link #decodeFastAndValidate} plus the node-identity check the stack runs on every record:
     * the HMAC-SHA256 of the value with the key of the node it names (keys cached per node).
     */
    @Benchmark
    public void decodeFastValidateAndCheckNode(Blackhole bh) {
        int i = next++ % encoded.length;
        byte[] bytes = encoded[i];
        TelemetryEvent e = TelemetryBinaryReader.read(bytes);
        bh.consume(identity.verify(e.getNode().getNodeId(), bytes, macs[i]));
        bh.consume(validator.validate(e, e.getEventTime().toEpochMilli()));
    }

    /** One metric sample into a node's feature window, and its 93-feature vector. */
    @Benchmark
    public void featureWindow(Blackhole bh) {
        int i = next++ % metricValues.length;
        // time keeps moving forward across passes over the samples
        long t = metricTimes[i] + (long) (next / metricValues.length) * 600_000L;
        window.add(t, metricValues[i]);
        if ((next & 4) == 0) {
            bh.consume(window.features());
        }
    }

    /** One power sample into a node ledger, the watermark advanced once per second. */
    @Benchmark
    public void energyIntegration(Blackhole bh) {
        ledgerClock += 333; // three supplies per second
        long t = ledgerClock;
        String supply =
                switch ((int) (next++ % 3)) {
                    case 0 -> "GRID";
                    case 1 -> "SOLAR";
                    default -> "WIND";
                };
        ledger.offer(t, next, supply, PowerIntegrator.milliwatts(120.0 + (next & 7)), -1, settings);
        if (next % 3 == 0) {
            List<NodeMinute> closed = ledger.advance(t - 5_001, null, settings);
            bh.consume(closed);
        }
    }

    /** One audit entry: Avro encoding, SHA-256 chaining and the compact Merkle tree. */
    @Benchmark
    public void hashChaining(Blackhole bh) {
        bh.consume(
                chain.append(
                        "ALERT",
                        "subject",
                        "alerts",
                        payload,
                        42L,
                        Instant.ofEpochMilli(1_700_000_000_000L + next++)));
    }
}

package dev.vigil.simulator;

import dev.vigil.simulator.fleet.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the simulator against Kafka: {@code java dev.vigil.simulator.SimulatorMain --help} lists the
 * options ({@link SimulatorOptions#USAGE}). Stops at the end of {@code --duration}, or on SIGTERM
 * after flushing what it generated.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(SimulatorOptions.USAGE);
            return;
        }
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args, Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println("vigil simulate: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options) ? 0 : 1);
    }

    /** The fleet key of {@code --node-keys}, or null when records go without node MACs. */
    private static dev.vigil.schema.identity.NodeIdentity nodeIdentity(SimulatorOptions options) {
        if (options.nodeKeys() == null) {
            return null;
        }
        try {
            return dev.vigil.schema.identity.NodeIdentity.read(options.nodeKeys());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--node-keys: " + e.getMessage(), e);
        }
    }

    /** Runs the simulation; returns false when sending failed. */
    public static boolean run(SimulatorOptions options) {
        Fleet fleet = Fleet.of(options.fleet(), options.fleetName());
        FleetSimulator simulator =
                new FleetSimulator(
                        fleet,
                        options.tick().toMillis(),
                        options.scenarios(),
                        options.scenariosPerHour(),
                        options.start().toEpochMilli(),
                        options.outsideRanges(),
                        options.alternateBackground());
        long ticks =
                options.duration() == null
                        ? Long.MAX_VALUE
                        : options.duration().toMillis() / options.tick().toMillis();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Thread hook =
                new Thread(
                        () -> {
                            stopping.set(true);
                            try {
                                main.join(15_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf(
                "simulating %d nodes (%d regions), seed %d, from %s, %s%s, scenarios: %s%n",
                fleet.nodes().size(),
                fleet.regions().size(),
                options.fleet().seed(),
                options.start(),
                options.pacing() == SimulatorOptions.Pacing.RATE
                        ? options.rate() + " events/s"
                        : options.pacing().name().toLowerCase(),
                options.duration() == null ? "" : " for " + options.duration(),
                options.scenarios().isEmpty() ? "none" : options.scenarios().size() + " types");
        long startNanos = System.nanoTime();
        long lastReport = startNanos;
        try (KafkaOutput out =
                new KafkaOutput(
                        options.kafka(),
                        options.topicPrefix(),
                        options.labelsFile(),
                        nodeIdentity(options))) {
            CountingOutput counting = new CountingOutput(out);
            for (long i = 0; i < ticks && !stopping.get(); i++) {
                pace(options, simulator.timeOf(i), counting.events, startNanos);
                simulator.next(counting);
                long now = System.nanoTime();
                if (now - lastReport > Duration.ofSeconds(10).toNanos()) {
                    lastReport = now;
                    System.out.printf(
                            "  %s: %,d events, %,d labels, %,d sent%n",
                            Instant.ofEpochMilli(simulator.timeOf(i)),
                            counting.events,
                            counting.labels,
                            out.sent());
                }
            }
            out.close();
            System.out.printf(
                    "done: %,d events over %,d ticks, %,d labels, %d injections skipped (no free"
                            + " node), %,d records acknowledged%n",
                    counting.events,
                    simulator.ticks(),
                    counting.labels,
                    simulator.skippedScenarios(),
                    out.sent());
            return true;
        } catch (RuntimeException e) {
            System.err.println("vigil simulate: " + e.getMessage());
            return false;
        } finally {
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static void pace(
            SimulatorOptions options, long eventTime, long eventsSoFar, long startNanos) {
        long waitMillis;
        switch (options.pacing()) {
            case REALTIME -> waitMillis = eventTime - System.currentTimeMillis();
            case RATE -> {
                long due = startNanos + (long) (eventsSoFar / options.rate() * 1e9);
                waitMillis = (due - System.nanoTime()) / 1_000_000;
            }
            default -> waitMillis = 0;
        }
        if (waitMillis > 0) {
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts what passes through to the Kafka output. */
    private static final class CountingOutput implements FleetSimulator.Output {
        private final FleetSimulator.Output delegate;
        long events;
        long labels;

        CountingOutput(FleetSimulator.Output delegate) {
            this.delegate = delegate;
        }

        @Override
        public void telemetry(dev.vigil.schema.TelemetryEvent event) {
            events++;
            delegate.telemetry(event);
        }

        @Override
        public void label(dev.vigil.schema.GroundTruthLabel label) {
            labels++;
            delegate.label(label);
        }

        @Override
        public void gridIntensity(dev.vigil.schema.GridIntensity intensity) {
            delegate.gridIntensity(intensity);
        }
    }
}

package dev.vigil.bench;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.FleetSimulator;
import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deterministic input for the in-process benchmarks: the simulated fleet (seed 42, every scenario
 * once per hour, a reading per sensor per second from 2026-01-05T08:00Z), without Kafka.
 */
public final class SimulatedFleet {

    private SimulatedFleet() {}

    /** The telemetry of {@code seconds} ticks of a fleet of about {@code nodes} nodes. */
    public static List<TelemetryEvent> telemetry(int nodes, int seconds) {
        List<TelemetryEvent> events = new ArrayList<>();
        run(nodes, seconds, events::add, grid -> {});
        return events;
    }

    /** Runs {@code seconds} ticks of a fleet of about {@code nodes} nodes. */
    public static void run(
            int nodes,
            int seconds,
            Consumer<TelemetryEvent> telemetry,
            Consumer<GridIntensity> gridIntensity) {
        FleetSimulator simulator =
                new FleetSimulator(
                        Fleet.of(FleetSpec.ofNodes(nodes, 42)),
                        1000L,
                        EnumSet.copyOf(ScenarioType.standard()),
                        1.0,
                        Instant.parse("2026-01-05T08:00:00Z").toEpochMilli());
        FleetSimulator.Output out =
                new FleetSimulator.Output() {
                    @Override
                    public void telemetry(TelemetryEvent event) {
                        telemetry.accept(event);
                    }

                    @Override
                    public void label(GroundTruthLabel label) {}

                    @Override
                    public void gridIntensity(GridIntensity intensity) {
                        gridIntensity.accept(intensity);
                    }
                };
        for (int t = 0; t < seconds; t++) {
            simulator.next(out);
        }
    }
}

package dev.vigil.bench.jmh;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.FleetSimulator;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** Deterministic input for the microbenchmarks: a few minutes of a small simulated fleet. */
final class Fleet {

    private Fleet() {}

    static List<TelemetryEvent> telemetry(int nodes, int seconds) {
        List<TelemetryEvent> events = new ArrayList<>();
        FleetSimulator simulator =
                new FleetSimulator(
                        dev.vigil.simulator.fleet.Fleet.of(FleetSpec.ofNodes(nodes, 42)),
                        1000L,
                        EnumSet.allOf(ScenarioType.class),
                        1.0,
                        Instant.parse("2026-01-05T08:00:00Z").toEpochMilli());
        FleetSimulator.Output out =
                new FleetSimulator.Output() {
                    @Override
                    public void telemetry(TelemetryEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void label(GroundTruthLabel label) {}

                    @Override
                    public void gridIntensity(GridIntensity intensity) {}
                };
        for (int t = 0; t < seconds; t++) {
            simulator.next(out);
        }
        return events;
    }
}

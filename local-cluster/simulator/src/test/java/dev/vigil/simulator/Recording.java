package dev.vigil.simulator;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Everything a simulation produced, in order. */
final class Recording implements FleetSimulator.Output {

    static final long START = Instant.parse("2026-01-15T00:00:00Z").toEpochMilli();

    final List<TelemetryEvent> events = new ArrayList<>();
    final List<GroundTruthLabel> labels = new ArrayList<>();
    final List<GridIntensity> intensities = new ArrayList<>();

    @Override
    public void telemetry(TelemetryEvent event) {
        events.add(event);
    }

    @Override
    public void label(GroundTruthLabel label) {
        labels.add(label);
    }

    @Override
    public void gridIntensity(GridIntensity intensity) {
        intensities.add(intensity);
    }

    static Recording run(
            FleetSpec spec, Set<ScenarioType> scenarios, long start, Duration duration) {
        return run(spec, scenarios, start, duration, false);
    }

    static Recording run(
            FleetSpec spec,
            Set<ScenarioType> scenarios,
            long start,
            Duration duration,
            boolean outsideRanges) {
        FleetSimulator simulator =
                new FleetSimulator(Fleet.of(spec), 1000, scenarios, 1.0, start, outsideRanges);
        Recording recording = new Recording();
        for (long i = 0; i < duration.toSeconds(); i++) {
            simulator.next(recording);
        }
        return recording;
    }

    static Recording allScenarios(Duration duration) {
        return run(FleetSpec.small(42), EnumSet.copyOf(ScenarioType.standard()), START, duration);
    }
}

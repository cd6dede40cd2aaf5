package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.simulator.SimulatorOptions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulationGuardTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static SimulatorOptions options(String... args) {
        return SimulatorOptions.parse(args, NOW);
    }

    private static Optional<String> beside(SimulatorOptions options) {
        return SimulationGuard.problem(
                Optional.of(4242L),
                () -> {
                    throw new AssertionError("beside the simulator, telemetry is not read");
                },
                options,
                NOW);
    }

    @Test
    void besideTheStacksSimulatorOnlyAFleetOfItsOwnInRealTimeFromNowMayRun() {
        assertThat(beside(options()))
                .hasValueSatisfying(
                        p -> assertThat(p).contains("pid 4242").contains("--fleet <name>"));
        assertThat(beside(options("--fleet", "lab"))).isEmpty();
        assertThat(beside(options("--fleet", "lab", "--rate", "max", "--duration", "10m")))
                .hasValueSatisfying(p -> assertThat(p).contains("simulate in real time"));
        assertThat(beside(options("--fleet", "lab", "--start", "2026-12-04T11:00:00Z")))
                .hasValueSatisfying(p -> assertThat(p).contains("must start now"));
    }

    @Test
    void withoutItARunMustStartAfterTheNewestEventTime() {
        SimulatorOptions early =
                options("--rate", "max", "--duration", "10m", "--start", "2026-12-04T11:00:00Z");
        assertThat(
                        SimulationGuard.problem(
                                Optional.empty(),
                                () -> Optional.of(Instant.parse("2026-12-04T11:30:00Z")),
                                early,
                                NOW))
                .hasValueSatisfying(p -> assertThat(p).contains("--start 2026-12-04T11:30:01Z"));
        assertThat(
                        SimulationGuard.problem(
                                Optional.empty(),
                                () -> Optional.of(Instant.parse("2026-12-04T10:30:00Z")),
                                early,
                                NOW))
                .isEmpty();
    }

    @Test
    void aFleetOfItsOwnHasItsOwnNodeIds() {
        assertThat(
                        dev.vigil.simulator.fleet.Fleet.of(options("--fleet", "lab").fleet(), "lab")
                                .nodes()
                                .get(0)
                                .identity()
                                .getNodeId())
                .isEqualTo("lab-node-00001");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options("--fleet", "Lab 1"))
                .hasMessageContaining("--fleet must be lower-case letters");
    }
}

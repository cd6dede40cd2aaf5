package dev.vigil.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.jobs.health.NodeHealthJobOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {

    private static Configuration parse(String... args) {
        return JobArguments.parse(
                args, NodeHealthJobOptions.ALL, List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
    }

    @Test
    void parsesTypedValuesAndKeepsDefaults() {
        Configuration config =
                parse(
                        "--bootstrap.servers",
                        "k:9092",
                        "--window.size=2 min",
                        "--source.bounded",
                        "true");

        assertThat(config.get(CommonJobOptions.BOOTSTRAP_SERVERS)).isEqualTo("k:9092");
        assertThat(config.get(NodeHealthJobOptions.WINDOW_SIZE)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.get(CommonJobOptions.BOUNDED)).isTrue();
        assertThat(config.get(NodeHealthJobOptions.ALLOWED_LATENESS))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void namesTheOffendingOption() {
        assertThatThrownBy(() -> parse("--bootstrap.servers", "k:9092", "--window.sise", "1 min"))
                .hasMessageStartingWith(
                        "unknown option --window.sise\noptions:\n  --bootstrap.servers\n");
        assertThatThrownBy(() -> parse("--bootstrap.servers"))
                .hasMessageStartingWith("option --bootstrap.servers needs a value");
        assertThatThrownBy(() -> parse("--window.size", "1 min"))
                .hasMessageStartingWith("option --bootstrap.servers is required");
        assertThatThrownBy(() -> parse("--bootstrap.servers", "k:9092", "--window.size", "soon"))
                .hasMessageStartingWith("option --window.size has an invalid value 'soon'");
        assertThatThrownBy(() -> parse("bootstrap.servers", "k:9092"))
                .hasMessageStartingWith("expected --<option> but found 'bootstrap.servers'");
    }
}

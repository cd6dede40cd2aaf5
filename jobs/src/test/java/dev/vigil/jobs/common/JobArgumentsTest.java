package dev.vigil.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.jobs.health.NodeHealthJobOptions;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void kafkaClientPropertiesComeFromAFileAndPassThroughOptions(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "bootstrap.servers=x:1\n");
        Configuration options =
                parse(
                        "--bootstrap.servers",
                        "k:9092",
                        "--kafka.properties",
                        file.toString(),
                        "--kafka.sasl.mechanism",
                        "PLAIN",
                        "--kafka.ssl.truststore.type",
                        "PKCS12");
        KafkaClientSettings kafka = JobSetup.kafkaSettings(options);
        assertThat(kafka.bootstrapServers()).isEqualTo("k:9092");
        assertThat(kafka.properties())
                .containsExactly(
                        Map.entry("sasl.mechanism", "PLAIN"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("ssl.truststore.type", "PKCS12"));
        assertThat(kafka.secured()).isTrue();
        assertThat(JobSetup.kafkaSettings(parse("--bootstrap.servers", "k:9092")).properties())
                .isEmpty();
        assertThatThrownBy(
                        () ->
                                JobSetup.kafkaSettings(
                                        parse(
                                                "--bootstrap.servers",
                                                "k:9092",
                                                "--kafka.properties",
                                                dir.resolve("missing").toString())))
                .hasMessage(
                        "Kafka client properties file " + dir.resolve("missing") + " not found");
        assertThatThrownBy(() -> parse("--bootstrap.servers", "k:9092", "--kafka.", "x"))
                .hasMessageStartingWith("unknown option --kafka.");
    }
}

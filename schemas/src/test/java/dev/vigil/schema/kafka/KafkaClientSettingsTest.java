package dev.vigil.schema.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.Topic;
import dev.vigil.schema.sql.FlinkSqlTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    @Test
    void theFileNamesTheBrokerAndPassThroughOptionsOverrideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(
                file,
                "bootstrap.servers=b:9093\nsecurity.protocol=SASL_SSL\n"
                        + "sasl.jaas.config=x required password=\"s3cret\";\n");
        KafkaClientSettings kafka =
                KafkaClientSettings.of(
                        null,
                        file,
                        KafkaClientSettings.passThrough(
                                Map.of(
                                        "kafka.security.protocol", "SSL",
                                        "kafka.properties", "ignored",
                                        "topic.alerts", "ignored")));
        assertThat(kafka.bootstrapServers()).isEqualTo("b:9093");
        assertThat(kafka.properties())
                .containsExactly(
                        Map.entry("sasl.jaas.config", "x required password=\"s3cret\";"),
                        Map.entry("security.protocol", "SSL"));
        assertThat(kafka.toProperties()).containsEntry("bootstrap.servers", "b:9093").hasSize(3);
        assertThat(kafka.toString()).doesNotContain("s3cret");
        assertThat(KafkaClientSettings.of("k:1", file, Map.of()).bootstrapServers())
                .isEqualTo("k:1");
    }

    @Test
    void withoutABrokerItSaysWhereToGiveOne() {
        assertThatThrownBy(() -> KafkaClientSettings.of(null, null, Map.of()))
                .hasMessage(
                        "no Kafka bootstrap servers: give --bootstrap-servers or set"
                                + " bootstrap.servers");
    }

    @Test
    void sqlTablesCarryTheClientPropertiesWithQuotesEscaped() {
        KafkaClientSettings kafka =
                KafkaClientSettings.plaintext("k:9092")
                        .with("security.protocol", "SASL_SSL")
                        .with("sasl.jaas.config", "m required username=\"a\" password=\"it's\";");
        String ddl = FlinkSqlTables.createTable(Topic.ALERTS, kafka);
        assertThat(ddl)
                .contains("'properties.bootstrap.servers' = 'k:9092'")
                .contains("'properties.security.protocol' = 'SASL_SSL'")
                .contains(
                        "'properties.sasl.jaas.config' = 'm required username=\"a\""
                                + " password=\"it''s\";'")
                .contains("'properties.isolation.level' = 'read_committed'");
        assertThat(kafka.secured()).isTrue();
        assertThat(KafkaClientSettings.plaintext("k:9092").secured()).isFalse();
    }
}

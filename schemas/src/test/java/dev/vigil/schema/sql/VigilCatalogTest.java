package dev.vigil.schema.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.factories.FactoryUtil;
import org.junit.jupiter.api.Test;

class VigilCatalogTest {

    private static Catalog create(Map<String, String> options) {
        return FactoryUtil.createCatalog(
                "vigil", options, new Configuration(), VigilCatalogTest.class.getClassLoader());
    }

    @Test
    void theCatalogHoldsOneTablePerTopicWithTheTopicsOptions() throws Exception {
        Catalog catalog =
                create(
                        Map.of(
                                "type", "vigil",
                                "bootstrap.servers", "broker-1:9093",
                                "properties.security.protocol", "SASL_SSL"));
        catalog.open();

        assertThat(catalog.listDatabases()).containsExactly("topics");
        assertThat(catalog.listTables("topics"))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Topic.values()).map(Topic::sqlTableName).toList());

        CatalogTable table =
                (CatalogTable) catalog.getTable(new ObjectPath("topics", "dead_letters"));
        assertThat(table.getOptions())
                .containsEntry("connector", "kafka")
                .containsEntry("topic", "dead-letters")
                .containsEntry("properties.bootstrap.servers", "broker-1:9093")
                .containsEntry("properties.security.protocol", "SASL_SSL")
                .containsEntry("properties.isolation.level", "read_committed")
                .containsEntry("format", "avro");
        List<String> columns =
                table.getUnresolvedSchema().getColumns().stream()
                        .map(Schema.UnresolvedColumn::getName)
                        .toList();
        List<String> expected =
                new java.util.ArrayList<>(
                        FlinkSqlTables.fields(Topic.DEAD_LETTERS.valueSchema()).keySet());
        expected.addAll(FlinkSqlTables.METADATA_COLUMNS);
        assertThat(columns).isEqualTo(expected);
        assertThat(table.getUnresolvedSchema().getWatermarkSpecs())
                .singleElement()
                .satisfies(w -> assertThat(w.getColumnName()).isEqualTo("source_timestamp"));
    }

    @Test
    void aMisspelledOptionIsRefusedByName() {
        assertThatThrownBy(
                        () ->
                                create(
                                        Map.of(
                                                "type", "vigil",
                                                "bootstrap.servers", "b:9092",
                                                "bootstrap.server", "b:9092")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("bootstrap.server");
    }

    @Test
    void theStatementCarriesEveryClientPropertyQuoted() {
        String sql =
                FlinkSqlTables.createCatalog(
                        "vigil",
                        new KafkaClientSettings(
                                "b:9092", Map.of("sasl.jaas.config", "x password='p';")));

        assertThat(sql)
                .isEqualTo(
                        "CREATE CATALOG `vigil` WITH (\n"
                                + "  'type' = 'vigil',\n"
                                + "  'bootstrap.servers' = 'b:9092',\n"
                                + "  'properties.sasl.jaas.config' = 'x password=''p'';'\n"
                                + ")");
    }
}

package dev.vigil.schema.sql;

import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.util.List;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;

/**
 * A catalog that holds one table per Vigil topic, derived from the topics' Avro schemas the way
 * {@link FlinkSqlTables} derives the {@code CREATE TABLE} statements of {@code vigil up}. Nothing
 * is stored: the tables are built again when the catalog opens, so a SQL Gateway whose catalog
 * store keeps the catalog's options ({@code CREATE CATALOG vigil WITH ('type' = 'vigil', ...)})
 * gives every new session, JDBC ones included, the same tables. Views and tables a session adds
 * live as long as that catalog instance.
 */
public final class VigilCatalog extends GenericInMemoryCatalog {

    private final KafkaClientSettings kafka;

    public VigilCatalog(String name, String database, KafkaClientSettings kafka) {
        super(name, database);
        this.kafka = kafka;
    }

    @Override
    public void open() {
        super.open();
        for (Topic topic : Topic.values()) {
            try {
                createTable(
                        new ObjectPath(getDefaultDatabase(), topic.sqlTableName()),
                        table(topic, kafka),
                        false);
            } catch (TableAlreadyExistException | DatabaseNotExistException e) {
                throw new CatalogException("cannot register " + topic.sqlTableName(), e);
            }
        }
    }

    /** The table over {@code topic}: the same columns, watermark and options as its DDL. */
    static CatalogTable table(Topic topic, KafkaClientSettings kafka) {
        Schema.Builder schema = Schema.newBuilder();
        FlinkSqlTables.fields(topic.valueSchema()).forEach(schema::column);
        schema.columnByMetadata("kafka_partition", "INT", "partition", true);
        schema.columnByMetadata("kafka_offset", "BIGINT", "offset", true);
        schema.columnByMetadata("kafka_headers", "MAP<STRING, BYTES>", "headers", true);
        if (topic.timeField() != null) {
            schema.watermark(topic.timeField(), FlinkSqlTables.watermark(topic.timeField()));
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment("Vigil topic " + topic.topicName())
                .partitionKeys(List.of())
                .options(FlinkSqlTables.tableOptions(topic, kafka))
                .build();
    }
}

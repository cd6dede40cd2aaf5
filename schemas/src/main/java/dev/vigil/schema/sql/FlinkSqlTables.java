package dev.vigil.schema.sql;

import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Derives the Flink SQL table of each topic from its Avro schema, so that the tables analysts query
 * can never drift from what the jobs write.
 *
 * <p>Flink's built-in {@code avro} format decodes with the schema it derives from the table's
 * columns, not with the writer's schema. The mapping here is therefore the exact inverse of
 * Flink's: a column list whose derived Avro schema encodes byte for byte like Vigil's. Nullable
 * columns are Avro unions {@code ["null", T]} (null first), everything else is {@code NOT NULL};
 * {@code timestamp-millis} becomes {@code TIMESTAMP_LTZ(3)}. Schemas with constructs that Flink
 * cannot mirror (enums, unions of several non-null types) are rejected.
 */
public final class FlinkSqlTables {

    /** Bounded-out-of-orderness of the watermark on every table's time attribute. */
    public static final String WATERMARK_DELAY = "INTERVAL '5' SECOND";

    /** Metadata columns every table has besides the record's fields. */
    public static final List<String> METADATA_COLUMNS =
            List.of("kafka_partition", "kafka_offset", "kafka_headers");

    /** The {@code type} of the catalog of Vigil's topics ({@link VigilCatalogFactory}). */
    public static final String CATALOG_TYPE = "vigil";

    /** The database of that catalog that holds one table per topic, unless configured. */
    public static final String CATALOG_DATABASE = "topics";

    /** Prefix of the catalog's options that become every table's Kafka client properties. */
    public static final String CATALOG_PROPERTIES_PREFIX = "properties.";

    private FlinkSqlTables() {}

    /**
     * The {@code CREATE CATALOG} statement of a catalog {@code name} over the cluster {@code kafka}
     * reaches.
     */
    public static String createCatalog(String name, KafkaClientSettings kafka) {
        StringBuilder sql =
                new StringBuilder("CREATE CATALOG `")
                        .append(name.replace("`", "``"))
                        .append("` WITH (\n  'type' = '")
                        .append(CATALOG_TYPE)
                        .append("',\n  'bootstrap.servers' = '")
                        .append(kafka.bootstrapServers().replace("'", "''"))
                        .append('\'');
        kafka.properties()
                .forEach(
                        (k, v) ->
                                sql.append(",\n  '")
                                        .append(CATALOG_PROPERTIES_PREFIX)
                                        .append(k.replace("'", "''"))
                                        .append("' = '")
                                        .append(v.replace("'", "''"))
                                        .append('\''));
        return sql.append("\n)").toString();
    }

    /**
     * {@code CREATE TABLE} for {@code topic}. The table reads committed records only and, by
     * default, everything in the topic at the time the query starts (a bounded snapshot); a query
     * can follow the topic live with the hint {@code /*+ OPTIONS('scan.bounded.mode'='unbounded')
     * *}{@code /}.
     */
    public static String createTable(Topic topic, String bootstrapServers) {
        return createTable(topic, KafkaClientSettings.plaintext(bootstrapServers));
    }

    /**
     * {@code CREATE TABLE} for {@code topic} over a broker reached with {@code kafka} (its security
     * settings become {@code properties.*} options).
     */
    public static String createTable(Topic topic, KafkaClientSettings kafka) {
        return createTable(
                topic.sqlTableName(),
                topic.valueSchema(),
                topic.timeField(),
                tableOptions(topic, kafka));
    }

    /**
     * The WITH options of the table over {@code topic}: committed records only, from the earliest
     * offset to the latest at the query's start, Avro values.
     */
    public static Map<String, String> tableOptions(Topic topic, KafkaClientSettings kafka) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("topic", topic.topicName());
        options.putAll(kafka.sqlTableOptions());
        options.put("properties.isolation.level", "read_committed");
        options.put("scan.startup.mode", "earliest-offset");
        options.put("scan.bounded.mode", "latest-offset");
        options.put("format", "avro");
        return options;
    }

    /** {@code CREATE TABLE} with the columns of {@code schema} and the given WITH options. */
    public static String createTable(
            String table, Schema schema, String timeField, Map<String, String> options) {
        List<String> lines = new ArrayList<>();
        for (String column : columns(schema)) {
            lines.add("  " + column);
        }
        lines.add("  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL");
        lines.add("  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL");
        lines.add("  `kafka_headers` MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL");
        for (String metadata : METADATA_COLUMNS) {
            if (schema.getField(metadata) != null) {
                throw new IllegalArgumentException(
                        schema.getName()
                                + " has a field named like the metadata column '"
                                + metadata
                                + "'");
            }
        }
        if (timeField != null) {
            if (schema.getField(timeField) == null) {
                throw new IllegalArgumentException(
                        schema.getName() + " has no time field '" + timeField + "'");
            }
            lines.add("  WATERMARK FOR " + quote(timeField) + " AS " + watermark(timeField));
        }
        StringJoiner with = new StringJoiner(",\n", "WITH (\n", "\n)");
        options.forEach((k, v) -> with.add("  '" + k + "' = '" + v.replace("'", "''") + "'"));
        return "CREATE TABLE IF NOT EXISTS "
                + quote(table)
                + " (\n"
                + String.join(",\n", lines)
                + "\n) "
                + with;
    }

    /**
     * The physical columns of a table over {@code schema}, e.g. {@code `node_id` STRING NOT NULL}.
     */
    public static List<String> columns(Schema schema) {
        List<String> columns = new ArrayList<>();
        fields(schema).forEach((name, type) -> columns.add(quote(name) + " " + type));
        return columns;
    }

    /** Field name → Flink SQL type (with nullability) of each field of {@code schema}, in order. */
    public static Map<String, String> fields(Schema schema) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Schema.Field field : schema.getFields()) {
            fields.put(field.name(), sqlType(field.schema(), field.name()));
        }
        return fields;
    }

    /** The watermark expression on {@code timeField}. */
    public static String watermark(String timeField) {
        return quote(timeField) + " - " + WATERMARK_DELAY;
    }

    /**
     * The physical row type of a table over {@code schema}, as a Flink SQL type string. Like the
     * row type Flink derives from a table's columns, it is {@code NOT NULL}.
     */
    public static String rowType(Schema schema) {
        return "ROW<" + String.join(", ", columns(schema)) + "> NOT NULL";
    }

    /** The Flink SQL type (with nullability) whose Avro form Flink encodes like {@code schema}. */
    static String sqlType(Schema schema, String path) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> types = schema.getTypes();
            if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
                return baseType(types.get(1), path);
            }
            throw new IllegalArgumentException(
                    "field '" + path + "': only [\"null\", T] unions map to SQL, found " + schema);
        }
        return baseType(schema, path) + " NOT NULL";
    }

    private static String baseType(Schema schema, String path) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            if (logical instanceof LogicalTypes.TimestampMillis) {
                return "TIMESTAMP(3)";
            }
            throw new IllegalArgumentException(
                    "field '" + path + "': logical type " + logical.getName() + " is not mapped");
        }
        switch (schema.getType()) {
            case STRING:
                return "STRING";
            case BYTES:
                return "BYTES";
            case BOOLEAN:
                return "BOOLEAN";
            case INT:
                return "INT";
            case LONG:
                return "BIGINT";
            case FLOAT:
                return "FLOAT";
            case DOUBLE:
                return "DOUBLE";
            case ARRAY:
                return "ARRAY<" + sqlType(schema.getElementType(), path + "[]") + ">";
            case MAP:
                return "MAP<STRING NOT NULL, " + sqlType(schema.getValueType(), path + "{}") + ">";
            case RECORD:
                StringJoiner row = new StringJoiner(", ", "ROW<", ">");
                for (Schema.Field field : schema.getFields()) {
                    row.add(
                            quote(field.name())
                                    + " "
                                    + sqlType(field.schema(), path + "." + field.name()));
                }
                return row.toString();
            default:
                throw new IllegalArgumentException(
                        "field '"
                                + path
                                + "': Avro "
                                + schema.getType()
                                + " has no exact Flink SQL mirror; use a string");
        }
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}

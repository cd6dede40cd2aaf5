package dev.vigil.schema.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.Topic;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.RandomData;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.avro.AvroRowDataDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Proves, with Flink's own {@code avro} format classes, that the table derived for every topic
 * decodes what Vigil writes: random records of each schema are encoded with Vigil's writer schema
 * and read back through {@link AvroRowDataDeserializationSchema}, value by value.
 */
class FlinkSqlTablesTest {

    @Test
    void flinksAvroFormatReadsEveryTopicValueExactly() throws Exception {
        for (Topic topic : Topic.values()) {
            Schema schema = topic.valueSchema();
            RowType rowType = rowTypeOf(schema);
            AvroRowDataDeserializationSchema flink =
                    new AvroRowDataDeserializationSchema(rowType, InternalTypeInfo.of(rowType));
            flink.open(initializationContext());

            Iterator<Object> records = new RandomData(schema, 50, 1234L).iterator();
            int checked = 0;
            while (records.hasNext()) {
                GenericRecord record = (GenericRecord) records.next();
                RowData row = flink.deserialize(encode(schema, record));
                assertSame(record, row, rowType, topic.topicName());
                checked++;
            }
            assertThat(checked).as(topic.topicName()).isEqualTo(50);
        }
    }

    @Test
    void flinksDerivedSchemaHasTheSameShapeAsVigils() {
        for (Topic topic : Topic.values()) {
            Schema derived = AvroSchemaConverter.convertToSchema(rowTypeOf(topic.valueSchema()));
            assertThat(shape(derived)).as(topic.topicName()).isEqualTo(shape(topic.valueSchema()));
        }
    }

    @Test
    void createTableReadsCommittedSnapshotsInAvro() {
        String ddl = FlinkSqlTables.createTable(Topic.DEAD_LETTERS, "localhost:9092");

        assertThat(ddl)
                .startsWith(
                        "CREATE TABLE IF NOT EXISTS `dead_letters` (\n"
                                + "  `source_topic` STRING NOT NULL,")
                .contains("  `key` BYTES,\n")
                .contains("  `headers` MAP<STRING NOT NULL, BYTES NOT NULL> NOT NULL,\n")
                .contains("  `source_timestamp` TIMESTAMP(3) NOT NULL,\n")
                .contains(
                        "  WATERMARK FOR `source_timestamp` AS `source_timestamp` - INTERVAL '5'"
                                + " SECOND")
                .contains("'topic' = 'dead-letters'")
                .contains("'properties.bootstrap.servers' = 'localhost:9092'")
                .contains("'properties.isolation.level' = 'read_committed'")
                .contains("'scan.bounded.mode' = 'latest-offset'")
                .endsWith("'format' = 'avro'\n)");
    }

    @Test
    void unionsOfSeveralTypesAreRefused() {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"v\","
                                        + "\"type\":[\"null\",\"int\",\"string\"]}]}");

        assertThatThrownBy(() -> FlinkSqlTables.columns(schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'v'");
    }

    private static RowType rowTypeOf(Schema schema) {
        return (RowType)
                LogicalTypeParser.parse(
                        FlinkSqlTables.rowType(schema), FlinkSqlTablesTest.class.getClassLoader());
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** The encoding-relevant structure of a schema: types and field order, names ignored. */
    private static String shape(Schema schema) {
        switch (schema.getType()) {
            case RECORD:
                List<String> fields = new ArrayList<>();
                schema.getFields().forEach(f -> fields.add(shape(f.schema())));
                return "record" + fields;
            case UNION:
                List<String> branches = new ArrayList<>();
                schema.getTypes().forEach(t -> branches.add(shape(t)));
                return "union" + branches;
            case ARRAY:
                return "array<" + shape(schema.getElementType()) + ">";
            case MAP:
                return "map<" + shape(schema.getValueType()) + ">";
            default:
                return schema.getType().getName();
        }
    }

    private static void assertSame(Object avro, Object flink, LogicalType type, String path) {
        if (avro == null) {
            assertThat(flink).as(path).isNull();
            return;
        }
        assertThat(flink).as(path).isNotNull();
        switch (type.getTypeRoot()) {
            case ROW:
                RowType rowType = (RowType) type;
                GenericRecord record = (GenericRecord) avro;
                RowData row = (RowData) flink;
                assertThat(row.getArity()).as(path).isEqualTo(rowType.getFieldCount());
                for (int i = 0; i < rowType.getFieldCount(); i++) {
                    LogicalType fieldType = rowType.getTypeAt(i);
                    Object value = RowData.createFieldGetter(fieldType, i).getFieldOrNull(row);
                    assertSame(
                            record.get(i),
                            value,
                            fieldType,
                            path + "." + rowType.getFieldNames().get(i));
                }
                break;
            case ARRAY:
                LogicalType element = ((ArrayType) type).getElementType();
                List<?> list = (List<?>) avro;
                ArrayData array = (ArrayData) flink;
                assertThat(array.size()).as(path).isEqualTo(list.size());
                ArrayData.ElementGetter getter = ArrayData.createElementGetter(element);
                for (int i = 0; i < list.size(); i++) {
                    assertSame(
                            list.get(i),
                            getter.getElementOrNull(array, i),
                            element,
                            path + "[" + i + "]");
                }
                break;
            case MAP:
                Map<?, ?> map = (Map<?, ?>) avro;
                MapData mapData = (MapData) flink;
                LogicalType valueType = ((MapType) type).getValueType();
                assertThat(mapData.size()).as(path).isEqualTo(map.size());
                ArrayData keys = mapData.keyArray();
                ArrayData values = mapData.valueArray();
                ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(valueType);
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.getString(i).toString();
                    Object expected =
                            map.entrySet().stream()
                                    .filter(e -> e.getKey().toString().equals(key))
                                    .findFirst()
                                    .orElseThrow()
                                    .getValue();
                    assertSame(
                            expected,
                            valueGetter.getElementOrNull(values, i),
                            valueType,
                            path + "{" + key + "}");
                }
                break;
            case VARCHAR:
                assertThat(flink.toString()).as(path).isEqualTo(avro.toString());
                break;
            case VARBINARY:
                ByteBuffer buffer = ((ByteBuffer) avro).duplicate();
                byte[] expected = new byte[buffer.remaining()];
                buffer.get(expected);
                assertThat((byte[]) flink).as(path).isEqualTo(expected);
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                assertThat(((org.apache.flink.table.data.TimestampData) flink).getMillisecond())
                        .as(path)
                        .isEqualTo((Long) avro);
                break;
            default:
                assertThat(flink).as(path).isEqualTo(avro);
        }
    }

    private static DeserializationSchema.InitializationContext initializationContext() {
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(FlinkSqlTablesTest.class.getClassLoader());
            }
        };
    }
}

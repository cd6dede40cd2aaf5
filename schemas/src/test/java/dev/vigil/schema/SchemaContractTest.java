package dev.vigil.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** House rules of the public contract, checked on every record type. */
class SchemaContractTest {

    @Test
    void everyRecordAndFieldIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (Schema schema : VigilSchemas.ALL) {
            visit(
                    schema,
                    schema.getName(),
                    (path, record, field) -> {
                        if (field == null && isBlank(record.getDoc())) {
                            undocumented.add(path);
                        }
                        if (field != null && isBlank(field.doc())) {
                            undocumented.add(path + "." + field.name());
                        }
                    });
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void optionalFieldsAreNullFirstUnionsDefaultingToNull() {
        List<String> wrong = new ArrayList<>();
        for (Schema schema : VigilSchemas.ALL) {
            visit(
                    schema,
                    schema.getName(),
                    (path, record, field) -> {
                        if (field == null || field.schema().getType() != Schema.Type.UNION) {
                            return;
                        }
                        List<Schema> branches = field.schema().getTypes();
                        boolean nullFirst =
                                branches.size() == 2
                                        && branches.get(0).getType() == Schema.Type.NULL;
                        if (!nullFirst || field.defaultVal() != JsonProperties.NULL_VALUE) {
                            wrong.add(path + "." + field.name());
                        }
                    });
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void noConstructWithoutAnExactFlinkSqlMirror() {
        List<String> wrong = new ArrayList<>();
        for (Schema schema : VigilSchemas.ALL) {
            visit(
                    schema,
                    schema.getName(),
                    (path, record, field) -> {
                        if (field != null && containsEnumOrFixed(field.schema())) {
                            wrong.add(path + "." + field.name());
                        }
                    });
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void topicsCoverEveryRecordTypeOnce() {
        List<String> valueTypes = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            valueTypes.add(topic.valueSchema().getName());
            assertThat(topic.valueSchema().getField(topic.timeField()))
                    .as(topic.topicName() + " time field")
                    .isNotNull();
        }
        assertThat(valueTypes)
                .containsExactlyInAnyOrderElementsOf(
                        VigilSchemas.ALL.stream().map(Schema::getName).toList());
    }

    private static boolean containsEnumOrFixed(Schema schema) {
        switch (schema.getType()) {
            case ENUM:
            case FIXED:
                return true;
            case UNION:
                return schema.getTypes().stream().anyMatch(SchemaContractTest::containsEnumOrFixed);
            case ARRAY:
                return containsEnumOrFixed(schema.getElementType());
            case MAP:
                return containsEnumOrFixed(schema.getValueType());
            default:
                return false;
        }
    }

    private interface Visitor {
        void visit(String path, Schema record, Schema.Field field);
    }

    /** Calls {@code visitor} for every record (field null) and every field, depth first. */
    private static void visit(Schema schema, String path, Visitor visitor) {
        switch (schema.getType()) {
            case RECORD:
                visitor.visit(path, schema, null);
                for (Schema.Field field : schema.getFields()) {
                    visitor.visit(path, schema, field);
                    visit(field.schema(), path + "." + field.name(), visitor);
                }
                break;
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    visit(branch, path, visitor);
                }
                break;
            case ARRAY:
                visit(schema.getElementType(), path + "[]", visitor);
                break;
            case MAP:
                visit(schema.getValueType(), path + "{}", visitor);
                break;
            default:
                break;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}

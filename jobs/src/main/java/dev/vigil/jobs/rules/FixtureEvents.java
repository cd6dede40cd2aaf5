package dev.vigil.jobs.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.schema.TelemetryEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Telemetry written the way rules read it: a fixture's events are JSON objects with the Avro field
 * names of {@code TelemetryEvent} ({@code sensor_id}, {@code metric}, {@code security}, {@code
 * power}, ...), plus a few conveniences:
 *
 * <ul>
 *   <li>{@code "at": "90s"} — event time as an offset from the fixture's {@code start} (or {@code
 *       "event_time": "2026-01-15T10:00:00Z"});
 *   <li>{@code "node": "node-1"} — a node id with the default identity (hub-01, eu-west-1,
 *       eu-west-1-c01, site-001, RETAIL), or an object overriding any of its fields;
 *   <li>{@code "repeat": 12, "every": "1s"} — the event twelve times, a second apart;
 *   <li>{@code "copies": 2} — the event sent again as two exact copies (a replay or a producer's
 *       retry);
 *   <li>{@code sequence} and {@code event_id} are the node's next number and {@code
 *       <node>-<sequence>} unless given.
 * </ul>
 */
public final class FixtureEvents {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Schema SCHEMA = TelemetryEvent.getClassSchema();

    private final Instant start;
    private final Map<String, Long> sequences = new HashMap<>();

    /**
     * @param start the time {@code at} offsets count from
     */
    public FixtureEvents(Instant start) {
        this.start = start;
    }

    /** The events of {@code array} in the order they are sent. */
    public List<TelemetryEvent> read(JsonNode array, String path) {
        if (array == null || !array.isArray()) {
            throw new FixtureException(path + ": must be an array of events");
        }
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            events.addAll(expand(array.get(i), path + "[" + i + "]"));
        }
        return events;
    }

    private List<TelemetryEvent> expand(JsonNode spec, String path) {
        if (!spec.isObject()) {
            throw new FixtureException(path + ": must be an object");
        }
        ObjectNode fields = ((ObjectNode) spec).deepCopy();
        int repeat = fields.has("repeat") ? positive(fields.remove("repeat"), path + ".repeat") : 1;
        Duration every =
                fields.has("every") ? duration(fields.remove("every"), path + ".every") : null;
        if (repeat > 1 && every == null) {
            throw new FixtureException(path + ".every: needed with repeat");
        }
        int copies = fields.has("copies") ? positive(fields.remove("copies"), path + ".copies") : 0;
        Instant first = time(fields, path);
        List<TelemetryEvent> out = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            Instant t = every == null ? first : first.plus(every.multipliedBy(i));
            TelemetryEvent event = event(fields, t, path);
            out.add(event);
            for (int c = 0; c < copies; c++) {
                out.add(TelemetryEvent.newBuilder(event).build());
            }
        }
        return out;
    }

    private Instant time(ObjectNode fields, String path) {
        JsonNode at = fields.remove("at");
        JsonNode absolute = fields.remove("event_time");
        if (at != null && absolute != null) {
            throw new FixtureException(path + ": give either at or event_time, not both");
        }
        if (absolute != null) {
            return instant(absolute, path + ".event_time");
        }
        return at == null ? start : start.plus(duration(at, path + ".at"));
    }

    private TelemetryEvent event(ObjectNode spec, Instant time, String path) {
        JsonNode nodeSpec = spec.get("node");
        if (nodeSpec == null) {
            throw new FixtureException(path + ".node: required (a node id or an identity)");
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("hub", "hub-01");
        node.put("region", "eu-west-1");
        node.put("cluster", "eu-west-1-c01");
        node.put("site_id", "site-001");
        node.put("site_type", "RETAIL");
        if (nodeSpec.isTextual()) {
            node.put("node_id", nodeSpec.asText());
        } else if (nodeSpec.isObject()) {
            nodeSpec.fields().forEachRemaining(e -> node.put(e.getKey(), e.getValue().asText()));
        } else {
            throw new FixtureException(path + ".node: a node id or an object");
        }
        Object nodeId = node.get("node_id");
        if (nodeId == null) {
            throw new FixtureException(path + ".node.node_id: required");
        }
        Schema nodeSchema = SCHEMA.getField("node").schema();
        GenericRecordBuilder identity = new GenericRecordBuilder(nodeSchema);
        for (Map.Entry<String, Object> e : node.entrySet()) {
            if (nodeSchema.getField(e.getKey()) == null) {
                throw new FixtureException(path + ".node." + e.getKey() + ": no such field");
            }
            identity.set(e.getKey(), e.getValue());
        }
        GenericRecordBuilder event = new GenericRecordBuilder(SCHEMA);
        event.set("node", identity.build());
        event.set("event_time", time.toEpochMilli());
        long sequence;
        if (spec.has("sequence")) {
            sequence = spec.get("sequence").asLong();
            sequences.merge(nodeId.toString(), sequence + 1, Math::max);
        } else {
            sequence = sequences.merge(nodeId.toString(), 1L, Long::sum) - 1;
        }
        event.set("sequence", sequence);
        event.set(
                "event_id",
                spec.has("event_id") ? spec.get("event_id").asText() : nodeId + "-" + sequence);
        event.set("sensor_id", spec.has("sensor_id") ? spec.get("sensor_id").asText() : "sys");
        Iterator<Map.Entry<String, JsonNode>> it = spec.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (List.of("node", "sequence", "event_id", "sensor_id").contains(name)) {
                continue;
            }
            Schema.Field field = SCHEMA.getField(name);
            if (field == null) {
                throw new FixtureException(
                        path + "." + name + ": no such field of a telemetry event");
            }
            event.set(name, value(field.schema(), e.getValue(), path + "." + name));
        }
        return specific(event.build(), path);
    }

    private static Object value(Schema schema, JsonNode json, String path) {
        if (schema.getType() == Schema.Type.UNION) {
            if (json.isNull()) {
                return null;
            }
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return value(branch, json, path);
                }
            }
        }
        switch (schema.getType()) {
            case RECORD:
                if (!json.isObject()) {
                    throw new FixtureException(path + ": must be an object");
                }
                GenericRecordBuilder b = new GenericRecordBuilder(schema);
                json.fields()
                        .forEachRemaining(
                                e -> {
                                    Schema.Field f = schema.getField(e.getKey());
                                    if (f == null) {
                                        throw new FixtureException(
                                                path + "." + e.getKey() + ": no such field");
                                    }
                                    b.set(
                                            f,
                                            value(f.schema(), e.getValue(), path + "." + f.name()));
                                });
                try {
                    return b.build();
                } catch (RuntimeException e) {
                    throw new FixtureException(path + ": " + e.getMessage());
                }
            case STRING:
                return json.asText();
            case ENUM:
                return new GenericData.EnumSymbol(schema, json.asText());
            case LONG:
                if ("timestamp-millis".equals(schema.getProp("logicalType"))
                        || schema.getLogicalType() != null) {
                    return json.isNumber() ? json.asLong() : instant(json, path).toEpochMilli();
                }
                return number(json, path).longValue();
            case INT:
                return number(json, path).intValue();
            case DOUBLE:
                return number(json, path).doubleValue();
            case FLOAT:
                return number(json, path).floatValue();
            case BOOLEAN:
                if (!json.isBoolean()) {
                    throw new FixtureException(path + ": must be true or false");
                }
                return json.asBoolean();
            case MAP:
                Map<String, Object> map = new LinkedHashMap<>();
                json.fields()
                        .forEachRemaining(
                                e ->
                                        map.put(
                                                e.getKey(),
                                                value(
                                                        schema.getValueType(),
                                                        e.getValue(),
                                                        path + "." + e.getKey())));
                return map;
            case ARRAY:
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < json.size(); i++) {
                    list.add(value(schema.getElementType(), json.get(i), path + "[" + i + "]"));
                }
                return list;
            default:
                throw new FixtureException(path + ": unsupported type " + schema.getType());
        }
    }

    private static Number number(JsonNode json, String path) {
        if (!json.isNumber()) {
            throw new FixtureException(path + ": must be a number, was " + json);
        }
        return json.numberValue();
    }

    /** Encodes the generic record and reads it back as the generated class. */
    private static TelemetryEvent specific(GenericRecord record, String path) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(SCHEMA).write(record, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(TelemetryEvent.class)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new FixtureException(path + ": not a valid telemetry event: " + e.getMessage());
        }
    }

    static int positive(JsonNode json, String path) {
        if (!json.canConvertToInt() || json.asInt() < 1) {
            throw new FixtureException(path + ": must be a whole number >= 1");
        }
        return json.asInt();
    }

    /** Parses 0s, 500ms, 30s, 10m, 2h or 1d. */
    static Duration duration(JsonNode json, String path) {
        Matcher m = json.isTextual() ? DURATION.matcher(json.asText()) : null;
        if (m == null || !m.matches()) {
            throw new FixtureException(
                    path + ": '" + json.asText() + "' is not a duration such as 500ms, 30s or 10m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static Instant instant(JsonNode json, String path) {
        try {
            return Instant.parse(json.asText());
        } catch (DateTimeParseException e) {
            throw new FixtureException(
                    path
                            + ": '"
                            + json.asText()
                            + "' is not an instant such as 2026-01-15T10:00:00Z");
        }
    }
}

package dev.vigil.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.avro.SchemaCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD_TRANSITIVE compatibility of the current schemas with every released version: a reader
 * built from this tree must read data written by any release. Changing a schema in a way that
 * breaks this fails the build; publish a new released version only by adding a directory under
 * {@code src/main/resources/dev/vigil/schema/released/} and a line to its {@code versions.txt}.
 */
class SchemaCompatibilityTest {

    @Test
    void currentSchemasReadEveryReleasedVersion() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String version : SchemaCatalog.get().releasedVersions()) {
            for (String name : releasedTypeNames(version)) {
                Schema writer = SchemaCatalog.released(version, name).orElseThrow();
                Optional<Schema> current =
                        VigilSchemas.ALL.stream().filter(s -> s.getName().equals(name)).findFirst();
                if (current.isEmpty()) {
                    problems.add(version + "/" + name + ": the type no longer exists");
                } else {
                    problems.addAll(incompatibilities(current.get(), writer, version));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void releaseOneHoldsEveryTypeOfThisContract() {
        assertThat(SchemaCatalog.get().releasedVersions()).startsWith("v1");
        for (Schema current : VigilSchemas.ALL) {
            assertThat(SchemaCatalog.released("v1", current.getName()))
                    .as(current.getName())
                    .isPresent();
        }
    }

    @Test
    void theCheckRejectsARequiredFieldWithoutDefault() {
        Schema released = TelemetryEvent.getClassSchema();
        String json = released.toString();
        Schema broken =
                new Schema.Parser()
                        .parse(
                                json.replaceFirst(
                                        "\\{\"name\":\"sensor_id\"",
                                        "{\"name\":\"firmware\",\"type\":\"string\",\"doc\":\"x\"},"
                                                + "{\"name\":\"sensor_id\""));

        assertThat(incompatibilities(broken, released, "v1"))
                .singleElement()
                .asString()
                .contains("v1/TelemetryEvent")
                .contains("firmware");
    }

    @Test
    void theCheckAcceptsAnOptionalFieldWithDefault() {
        Schema released = TelemetryEvent.getClassSchema();
        Schema evolved =
                new Schema.Parser()
                        .parse(
                                released.toString()
                                        .replaceFirst(
                                                "\\{\"name\":\"sensor_id\"",
                                                "{\"name\":\"firmware\",\"type\":[\"null\",\"string\"],"
                                                    + "\"default\":null,\"doc\":\"x\"},"
                                                    + "{\"name\":\"sensor_id\""));

        assertThat(incompatibilities(evolved, released, "v1")).isEmpty();
    }

    private static List<String> incompatibilities(Schema reader, Schema writer, String version) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility incompatibility :
                result.getResult().getIncompatibilities()) {
            problems.add(
                    version
                            + "/"
                            + writer.getName()
                            + ": "
                            + incompatibility.getType()
                            + " at "
                            + incompatibility.getLocation()
                            + " ("
                            + incompatibility.getMessage()
                            + ")");
        }
        return problems;
    }

    /** Type names of a released version, read from the committed files themselves. */
    private static List<String> releasedTypeNames(String version) throws IOException {
        Path dir = Path.of("src/main/resources/dev/vigil/schema/released", version);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".avsc"))
                            .map(n -> n.substring(0, n.length() - ".avsc".length()))
                            .sorted()
                            .toList();
            assertThat(names).as("released files of " + version).isNotEmpty();
            return names;
        }
    }
}

package dev.vigil.local.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Classpaths of the processes the launcher starts, resolved by Maven at build time and shipped as
 * resources by the {@code kafka-runtime} and {@code flink-runtime} modules.
 */
public enum RuntimeClasspath {
    /** Kafka broker: Kafka, Scala and the broker's logging. */
    KAFKA_BROKER("dev/vigil/runtime/kafka-broker.classpath"),
    /** Flink JobManager, TaskManager, SQL Gateway and SQL client: the stand-in for Flink's lib/. */
    FLINK_CLUSTER("dev/vigil/runtime/flink-cluster.classpath");

    private final String resource;

    RuntimeClasspath(String resource) {
        this.resource = resource;
    }

    /** The classpath string; fails when a jar listed there is missing from the local repository. */
    public String load() {
        try (InputStream in =
                RuntimeClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new LaunchException(
                        "classpath resource "
                                + resource
                                + " is missing: build the project first (mvn -DskipTests install)");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String entry : classpath.split(":")) {
                if (!entry.isEmpty() && !Files.exists(Path.of(entry))) {
                    throw new LaunchException(
                            entry
                                    + " (listed in "
                                    + resource
                                    + ") does not exist: rebuild with mvn -DskipTests install");
                }
            }
            return classpath;
        } catch (IOException e) {
            throw new LaunchException("cannot read " + resource, e);
        }
    }
}

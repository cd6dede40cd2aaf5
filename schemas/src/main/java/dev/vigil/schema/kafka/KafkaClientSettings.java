package dev.vigil.schema.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where every Vigil Kafka client (job sources and sinks, CLI, simulator, SQL tables, benchmarks)
 * gets its connection and security settings: the bootstrap servers plus client properties, read
 * from a client properties file ({@code --kafka.properties FILE}) and {@code --kafka.<key> value}
 * pass-through options, the cloudera/cybersec convention. A pass-through option overrides the file.
 *
 * <p>The properties are handed to the Kafka client as given ({@code security.protocol}, {@code
 * ssl.*}, {@code sasl.*}, tuning); settings Vigil relies on for correctness (the isolation level,
 * transactional ids) are set after them by the component that needs them.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param properties client properties besides {@code bootstrap.servers}, sorted by key
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> properties)
        implements Serializable {

    /** Prefix of the pass-through options. */
    public static final String PREFIX = "kafka.";

    /** The option that names the client properties file. */
    public static final String PROPERTIES_FILE_OPTION = PREFIX + "properties";

    public KafkaClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are required");
        }
        TreeMap<String, String> copy = new TreeMap<>(properties);
        copy.remove("bootstrap.servers");
        properties = Collections.unmodifiableMap(copy);
    }

    /** A plaintext connection without client properties. */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of());
    }

    /**
     * Settings from a properties file (may be {@code null}) and pass-through options, whose keys
     * are the client property names without the {@code kafka.} prefix. {@code bootstrapServers} may
     * be {@code null} when the file names them.
     */
    public static KafkaClientSettings of(
            String bootstrapServers, Path propertiesFile, Map<String, String> passThrough) {
        Map<String, String> all = new TreeMap<>();
        if (propertiesFile != null) {
            all.putAll(read(propertiesFile));
        }
        all.putAll(passThrough);
        String bootstrap =
                bootstrapServers != null ? bootstrapServers : all.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "no Kafka bootstrap servers: give --bootstrap-servers or set bootstrap.servers"
                            + (propertiesFile == null ? "" : " in " + propertiesFile));
        }
        return new KafkaClientSettings(bootstrap, all);
    }

    /**
     * The pass-through options among {@code options} ({@code kafka.<key>} → {@code <key>}), without
     * the properties-file option itself.
     */
    public static Map<String, String> passThrough(Map<String, String> options) {
        Map<String, String> out = new TreeMap<>();
        options.forEach(
                (key, value) -> {
                    if (key.startsWith(PREFIX)
                            && !key.equals(PROPERTIES_FILE_OPTION)
                            && key.length() > PREFIX.length()) {
                        out.put(key.substring(PREFIX.length()), value);
                    }
                });
        return out;
    }

    /** Reads a client properties file, with an error naming the file. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "Kafka client properties file " + file + " not found");
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka client properties " + file, e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** These settings with {@code key} set to {@code value}. */
    public KafkaClientSettings with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(properties);
        copy.put(key, value);
        return new KafkaClientSettings(bootstrapServers, copy);
    }

    /** Client properties including {@code bootstrap.servers}: a fresh copy to add to. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** Whether the connection authenticates (a SASL or SSL security protocol). */
    public boolean secured() {
        return !properties.getOrDefault("security.protocol", "PLAINTEXT").equals("PLAINTEXT");
    }

    /**
     * The WITH options of a Flink SQL Kafka table for these settings: {@code
     * properties.bootstrap.servers} and {@code properties.<key>} for each client property.
     */
    public Map<String, String> sqlTableOptions() {
        Map<String, String> out = new TreeMap<>();
        out.put("properties.bootstrap.servers", bootstrapServers);
        properties.forEach((k, v) -> out.put("properties." + k, v));
        return out;
    }

    /** Never prints secrets: the property names only. */
    @Override
    public String toString() {
        return "KafkaClientSettings[" + bootstrapServers + ", " + properties.keySet() + "]";
    }
}

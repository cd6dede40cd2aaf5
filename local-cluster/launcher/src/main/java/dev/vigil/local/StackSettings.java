package dev.vigil.local;

import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.Ports;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Ports and directories of one local stack. {@code vigil up} saves them in {@code
 * <dataDir>/stack.properties} so that later commands (status, sql, down) find the same stack.
 *
 * @param dataDir the one directory holding all data, configuration, logs and pid files
 * @param kafkaPort Kafka client port (default 9092)
 * @param kafkaControllerPort KRaft controller port (default 9093)
 * @param flinkPort Flink REST API and web UI (default 8081)
 * @param flinkRpcPort JobManager RPC (default 6123)
 * @param gatewayPort SQL Gateway (default 8083)
 * @param slots TaskManager slots (default 8)
 * @param startTimeout how long each process may take to become healthy (default 90 s)
 */
public record StackSettings(
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int flinkPort,
        int flinkRpcPort,
        int gatewayPort,
        int slots,
        Duration startTimeout) {

    private static final String FILE = "stack.properties";

    public StackSettings {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The fixed ports of {@code vigil up}. */
    public static StackSettings defaults(Path dataDir) {
        return new StackSettings(dataDir, 9092, 9093, 8081, 6123, 8083, 8, Duration.ofSeconds(90));
    }

    /** Free ports, for tests that must not collide with a running {@code vigil up}. */
    public static StackSettings onFreePorts(Path dataDir) {
        return new StackSettings(
                dataDir,
                Ports.freePort(),
                Ports.freePort(),
                Ports.freePort(),
                Ports.freePort(),
                Ports.freePort(),
                8,
                Duration.ofSeconds(120));
    }

    public String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    /** The settings saved under {@code dataDir}, or the defaults when none were saved. */
    public static StackSettings load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        StackSettings defaults = defaults(dataDir);
        if (!Files.exists(file)) {
            return defaults;
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file, e);
        }
        return new StackSettings(
                dataDir,
                Integer.parseInt(p.getProperty("kafka.port", "" + defaults.kafkaPort)),
                Integer.parseInt(
                        p.getProperty("kafka.controller.port", "" + defaults.kafkaControllerPort)),
                Integer.parseInt(p.getProperty("flink.port", "" + defaults.flinkPort)),
                Integer.parseInt(p.getProperty("flink.rpc.port", "" + defaults.flinkRpcPort)),
                Integer.parseInt(p.getProperty("gateway.port", "" + defaults.gatewayPort)),
                Integer.parseInt(p.getProperty("slots", "" + defaults.slots)),
                Duration.ofSeconds(
                        Long.parseLong(
                                p.getProperty(
                                        "start.timeout.seconds",
                                        "" + defaults.startTimeout.toSeconds()))));
    }

    /** Saves these settings under the data directory. */
    public void save() {
        Properties p = new Properties();
        p.setProperty("kafka.port", "" + kafkaPort);
        p.setProperty("kafka.controller.port", "" + kafkaControllerPort);
        p.setProperty("flink.port", "" + flinkPort);
        p.setProperty("flink.rpc.port", "" + flinkRpcPort);
        p.setProperty("gateway.port", "" + gatewayPort);
        p.setProperty("slots", "" + slots);
        p.setProperty("start.timeout.seconds", "" + startTimeout.toSeconds());
        try {
            Files.createDirectories(dataDir);
            try (Writer writer =
                    Files.newBufferedWriter(dataDir.resolve(FILE), StandardCharsets.UTF_8)) {
                p.store(writer, "ports of the local Vigil stack; written by vigil up");
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + dataDir.resolve(FILE), e);
        }
    }
}

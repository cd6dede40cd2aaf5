package dev.vigil.simulator;

import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Options of the edge-fleet simulator ({@code vigil simulate} and the simulator that {@code vigil
 * up} starts). Parsed once, validated with messages that name the option.
 *
 * @param bootstrapServers Kafka to produce to
 * @param fleet fleet shape and seed
 * @param pacing REALTIME (event time = wall clock), RATE (events/s) or MAX (as fast as possible)
 * @param rate events per second for RATE pacing
 * @param duration event time to simulate; null runs until stopped
 * @param start event time of the first tick
 * @param tick interval between a sensor's readings
 * @param scenarios scenario types to inject
 * @param scenariosPerHour attacks (and as many near misses) per type per hour
 * @param outsideRanges variant scenarios draw their parameters from beyond their tuned ranges
 * @param alternateBackground normal traffic of another fleet design (daily shape, load, classes)
 * @param labelsFile where ground-truth labels are also written as JSON lines; null for none
 * @param topicPrefix prefix of every topic name (for tests); empty in normal use
 * @param kafka broker and client (security) properties: {@code --bootstrap-servers}, {@code
 *     --kafka.properties FILE} and {@code --kafka.<key> <value>}
 * @param nodeKeys fleet key file: every telemetry record carries its node's MAC; null for none
 * @param fleetName names a fleet of its own: node ids {@code <name>-node-00001}...; null for the
 *     standard {@code node-00001}...
 */
public record SimulatorOptions(
        String bootstrapServers,
        FleetSpec fleet,
        Pacing pacing,
        double rate,
        Duration duration,
        Instant start,
        Duration tick,
        Set<ScenarioType> scenarios,
        double scenariosPerHour,
        boolean outsideRanges,
        boolean alternateBackground,
        Path labelsFile,
        String topicPrefix,
        KafkaClientSettings kafka,
        Path nodeKeys,
        String fleetName) {

    /** How generation is paced against the wall clock. */
    public enum Pacing {
        REALTIME,
        RATE,
        MAX
    }

    /** Brokers reject records whose timestamp is more than an hour ahead of their clock. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(55);

    public static final String USAGE =
            String.join(
                    "\n",
                    "options (all optional):",
                    "  --bootstrap-servers <host:port>  Kafka to write to (default localhost:9092)",
                    "  --nodes <n>                      fleet of about n nodes (default: 1 hub, 2"
                            + " regions x 2 clusters x 4 nodes = 16)",
                    "  --hubs/--regions/--clusters/--nodes-per-cluster <n>  exact fleet shape",
                    "  --extra-sensors <n>              extra ambient sensors per node, to raise"
                            + " the event rate (default 0)",
                    "  --seed <long>                    random seed (default 42)",
                    "  --rate <realtime|max|events/s>   pacing (default realtime)",
                    "  --duration <10m|2h|...>          event time to simulate (default: until"
                            + " stopped; required for max and events/s)",
                    "  --start <ISO instant>            event time of the first tick (default: now"
                            + " for realtime, now - duration otherwise)",
                    "  --scenarios <all|variants|all+variants|none|a,b,...>  scenarios to inject"
                            + " (default all, the standard ones: "
                            + ScenarioType.standard().stream().map(ScenarioType::label).toList()
                            + "; variants: "
                            + ScenarioType.variants().stream().map(ScenarioType::label).toList()
                            + ")",
                    "  --variant-ranges <tuned|outside> variants' parameters from their tuned"
                            + " ranges (default) or beyond them",
                    "  --background <standard|alternate> normal traffic of the standard fleet or of"
                            + " another design (night shift, heavier load, other node classes)",
                    "  --scenarios-per-hour <x>         attacks and near misses per scenario type"
                            + " per hour (default 1)",
                    "  --labels-file <path>             also write ground-truth labels as JSON"
                            + " lines",
                    "  --fleet <name>                   a fleet of its own: node ids"
                        + " <name>-node-00001..., e.g. beside the stack's own simulator (real time"
                        + " only)",
                    "  --topic-prefix <p>               prefix topic names (tests)",
                    "  --kafka.properties <file>        Kafka client properties (security.protocol,"
                            + " ssl.*, sasl.*)",
                    "  --kafka.<key> <value>            one Kafka client property, over the"
                            + " file's",
                    "  --node-keys <file>               fleet key: each telemetry record carries"
                            + " its node's MAC (vigil.node.mac)");

    /** Parses {@code --key value} arguments. */
    public static SimulatorOptions parse(String[] args, Instant now) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "expected --<option> <value> at '" + args[i] + "'\n" + USAGE);
            }
            values.put(args[i].substring(2), args[++i]);
        }
        String bootstrap = values.remove("bootstrap-servers");
        String kafkaFile = values.remove(KafkaClientSettings.PROPERTIES_FILE_OPTION);
        Map<String, String> kafkaOptions = KafkaClientSettings.passThrough(values);
        values.keySet().removeIf(k -> k.startsWith(KafkaClientSettings.PREFIX));
        KafkaClientSettings kafka =
                KafkaClientSettings.of(
                        bootstrap == null && kafkaFile == null ? "localhost:9092" : bootstrap,
                        kafkaFile == null ? null : Path.of(kafkaFile),
                        kafkaOptions);
        long seed = parseLong(values.remove("seed"), 42, "seed");
        int extra = (int) parseLong(values.remove("extra-sensors"), 0, "extra-sensors");
        FleetSpec fleet;
        String nodes = values.remove("nodes");
        String hubs = values.remove("hubs");
        String regions = values.remove("regions");
        String clusters = values.remove("clusters");
        String perCluster = values.remove("nodes-per-cluster");
        if (nodes != null) {
            FleetSpec sized = FleetSpec.ofNodes((int) parseLong(nodes, 16, "nodes"), seed);
            fleet =
                    new FleetSpec(
                            sized.hubs(),
                            sized.regionsPerHub(),
                            sized.clustersPerRegion(),
                            sized.nodesPerCluster(),
                            extra,
                            seed);
        } else {
            FleetSpec small = FleetSpec.small(seed);
            fleet =
                    new FleetSpec(
                            (int) parseLong(hubs, small.hubs(), "hubs"),
                            (int) parseLong(regions, small.regionsPerHub(), "regions"),
                            (int) parseLong(clusters, small.clustersPerRegion(), "clusters"),
                            (int)
                                    parseLong(
                                            perCluster,
                                            small.nodesPerCluster(),
                                            "nodes-per-cluster"),
                            extra,
                            seed);
        }
        String rateText = values.getOrDefault("rate", "realtime");
        values.remove("rate");
        Pacing pacing;
        double rate = 0;
        if (rateText.equals("realtime")) {
            pacing = Pacing.REALTIME;
        } else if (rateText.equals("max")) {
            pacing = Pacing.MAX;
        } else {
            pacing = Pacing.RATE;
            try {
                rate = Double.parseDouble(rateText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--rate must be realtime, max or a number of events/s, was '"
                                + rateText
                                + "'");
            }
            if (rate <= 0) {
                throw new IllegalArgumentException("--rate must be positive, was " + rateText);
            }
        }
        Duration duration =
                values.containsKey("duration") ? parseDuration(values.remove("duration")) : null;
        if (pacing != Pacing.REALTIME && duration == null) {
            throw new IllegalArgumentException("--duration is required with --rate " + rateText);
        }
        Instant start;
        String startText = values.remove("start");
        if (startText != null) {
            try {
                start = Instant.parse(startText);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "--start must be an ISO instant such as 2026-01-15T10:00:00Z, was '"
                                + startText
                                + "'");
            }
        } else {
            start = pacing == Pacing.REALTIME ? now : now.minus(duration);
        }
        if (pacing != Pacing.REALTIME && start.plus(duration).isAfter(now.plus(MAX_AHEAD))) {
            throw new IllegalArgumentException(
                    "event times would run until "
                            + start.plus(duration)
                            + ", more than an hour ahead of the clock; Kafka brokers reject such"
                            + " records. Use an earlier --start or a shorter --duration.");
        }
        String scenarioText = values.getOrDefault("scenarios", "all");
        values.remove("scenarios");
        Set<ScenarioType> scenarios = EnumSet.noneOf(ScenarioType.class);
        if (scenarioText.equals("all")) {
            scenarios = EnumSet.copyOf(ScenarioType.standard());
        } else if (scenarioText.equals("variants")) {
            scenarios = EnumSet.copyOf(ScenarioType.variants());
        } else if (scenarioText.equals("all+variants")) {
            scenarios = EnumSet.allOf(ScenarioType.class);
        } else if (!scenarioText.equals("none")) {
            for (String s : scenarioText.split(",")) {
                scenarios.add(ScenarioType.parse(s));
            }
        }
        double perHour = Double.parseDouble(values.getOrDefault("scenarios-per-hour", "1"));
        values.remove("scenarios-per-hour");
        if (perHour < 0) {
            throw new IllegalArgumentException("--scenarios-per-hour must be >= 0");
        }
        String ranges = values.getOrDefault("variant-ranges", "tuned");
        values.remove("variant-ranges");
        if (!ranges.equals("tuned") && !ranges.equals("outside")) {
            throw new IllegalArgumentException(
                    "--variant-ranges must be tuned or outside, was '" + ranges + "'");
        }
        String background = values.getOrDefault("background", "standard");
        values.remove("background");
        if (!background.equals("standard") && !background.equals("alternate")) {
            throw new IllegalArgumentException(
                    "--background must be standard or alternate, was '" + background + "'");
        }
        String labels = values.remove("labels-file");
        String nodeKeys = values.remove("node-keys");
        String prefix = values.getOrDefault("topic-prefix", "");
        values.remove("topic-prefix");
        String fleetName = values.remove("fleet");
        if (fleetName != null && !fleetName.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException(
                    "--fleet must be lower-case letters, digits and '-', starting with a letter"
                            + " (at most 32), was '"
                            + fleetName
                            + "'");
        }
        if (!values.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown option --" + values.keySet().iterator().next() + "\n" + USAGE);
        }
        return new SimulatorOptions(
                kafka.bootstrapServers(),
                fleet,
                pacing,
                rate,
                duration,
                start,
                Duration.ofSeconds(1),
                scenarios,
                perHour,
                ranges.equals("outside"),
                background.equals("alternate"),
                labels == null ? null : Path.of(labels),
                prefix,
                kafka,
                nodeKeys == null ? null : Path.of(nodeKeys),
                fleetName);
    }

    /** Parses 90s, 10m, 2h, 1d or an ISO-8601 duration. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase());
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "a duration looks like 90s, 10m, 2h or 1d, was '" + text + "'");
        }
    }

    private static long parseLong(String text, long fallback, String option) {
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + option + " must be a whole number, was '" + text + "'");
        }
    }
}

package dev.vigil.jobs.common;

import dev.vigil.schema.kafka.KafkaClientSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Parses {@code --key value} program arguments into a Flink {@link Configuration} checked against
 * the job's declared {@link ConfigOption}s: an unknown key, a missing value or a value of the wrong
 * type stops the job before it starts, with a message naming the option.
 */
public final class JobArguments {

    private JobArguments() {}

    /** Parses and validates {@code args}; every option in {@code required} must be given. */
    public static Configuration parse(
            String[] args,
            Collection<ConfigOption<?>> options,
            Collection<ConfigOption<?>> required) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "expected --<option> but found '" + arg + "'" + usage(options));
            }
            String key = arg.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException(
                        "option --" + key + " needs a value" + usage(options));
            }
        }
        Set<String> known = new TreeSet<>();
        options.forEach(o -> known.add(o.key()));
        for (String key : values.keySet()) {
            if (!known.contains(key) && !isKafkaPassThrough(key)) {
                throw new IllegalArgumentException("unknown option --" + key + usage(options));
            }
        }
        Configuration config = Configuration.fromMap(values);
        for (ConfigOption<?> option : options) {
            try {
                config.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "option --"
                                + option.key()
                                + " has an invalid value '"
                                + values.get(option.key())
                                + "': "
                                + e.getMessage(),
                        e);
            }
        }
        for (ConfigOption<?> option : required) {
            if (!config.contains(option)) {
                throw new IllegalArgumentException(
                        "option --" + option.key() + " is required" + usage(options));
            }
        }
        return config;
    }

    /** {@code --kafka.<client property>}: handed to every Kafka client of the job. */
    private static boolean isKafkaPassThrough(String key) {
        return key.startsWith(KafkaClientSettings.PREFIX)
                && key.length() > KafkaClientSettings.PREFIX.length();
    }

    private static String usage(Collection<ConfigOption<?>> options) {
        List<String> lines = new ArrayList<>();
        for (ConfigOption<?> option : options) {
            lines.add(
                    "  --"
                            + option.key()
                            + (option.hasDefaultValue()
                                    ? " (default " + option.defaultValue() + ")"
                                    : ""));
        }
        return "\noptions:\n" + String.join("\n", lines);
    }
}

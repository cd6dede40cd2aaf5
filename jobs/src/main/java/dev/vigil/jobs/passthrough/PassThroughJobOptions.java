package dev.vigil.jobs.passthrough;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Options of the pass-through job beyond {@link CommonJobOptions}; jobs/README.md lists them. */
public final class PassThroughJobOptions {

    public static final ConfigOption<String> OUTPUT_TOPIC =
            key("topic.output")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Topic the copied records are written to (required).");

    /** Every option the job accepts. */
    public static final List<ConfigOption<?>> ALL = CommonJobOptions.with(List.of(OUTPUT_TOPIC));

    private PassThroughJobOptions() {}
}

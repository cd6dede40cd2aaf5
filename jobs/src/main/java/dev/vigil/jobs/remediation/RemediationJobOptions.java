package dev.vigil.jobs.remediation;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.schema.Topic;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Options of the remediation job beyond {@link CommonJobOptions}; jobs/README.md lists them. */
public final class RemediationJobOptions {

    public static final ConfigOption<String> KEYSTORE =
            key("remediation.keystore")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Key store directory that signs commands; password from"
                                + " --keystore.password-file, else VIGIL_KEYSTORE_PASSWORD in the"
                                + " TaskManagers' environment.");

    public static final ConfigOption<String> POLICIES =
            key("remediation.policies")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "JSON file of remediation policies replacing the built-in catalogue.");

    public static final ConfigOption<Integer> PER_TARGET =
            key("remediation.rate.per-target")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Commands per target per rate period (token bucket).");

    public static final ConfigOption<Integer> PER_ACTION =
            key("remediation.rate.per-action")
                    .intType()
                    .defaultValue(20)
                    .withDescription("Commands per action, fleet-wide, per rate period.");

    public static final ConfigOption<Integer> GLOBAL =
            key("remediation.rate.global")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Commands fleet-wide per rate period.");

    public static final ConfigOption<java.time.Duration> PERIOD =
            key("remediation.rate.period")
                    .durationType()
                    .defaultValue(java.time.Duration.ofMinutes(1))
                    .withDescription("Rate period of the token buckets (event time).");

    public static final ConfigOption<String> ALERTS_TOPIC =
            key("topic.alerts")
                    .stringType()
                    .defaultValue(Topic.ALERTS.topicName())
                    .withDescription("Alerts read.");

    public static final ConfigOption<String> ANOMALIES_TOPIC =
            key("topic.anomalies")
                    .stringType()
                    .defaultValue(Topic.ANOMALIES.topicName())
                    .withDescription("Anomaly scores read (their failure probabilities).");

    public static final ConfigOption<String> COMMANDS_TOPIC =
            key("topic.remediation-commands")
                    .stringType()
                    .defaultValue(Topic.REMEDIATION_COMMANDS.topicName())
                    .withDescription("Signed commands written.");

    public static final ConfigOption<String> APPROVALS_TOPIC =
            key("topic.approvals")
                    .stringType()
                    .defaultValue(Topic.APPROVALS.topicName())
                    .withDescription("Approval decisions read (commands that need one wait).");

    public static final ConfigOption<String> RESULTS_TOPIC =
            key("topic.remediation-results")
                    .stringType()
                    .defaultValue(Topic.REMEDIATION_RESULTS.topicName())
                    .withDescription(
                            "Agents' reports read; EXPIRED and RETRIES_EXHAUSTED written.");

    public static final List<ConfigOption<?>> ALL =
            CommonJobOptions.with(
                    List.of(
                            KEYSTORE,
                            CommonJobOptions.KEYSTORE_PASSWORD_FILE,
                            POLICIES,
                            PER_TARGET,
                            PER_ACTION,
                            GLOBAL,
                            PERIOD,
                            ALERTS_TOPIC,
                            ANOMALIES_TOPIC,
                            COMMANDS_TOPIC,
                            APPROVALS_TOPIC,
                            RESULTS_TOPIC));

    private RemediationJobOptions() {}
}

package dev.vigil.jobs.threat;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.schema.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Options of the threat-detection job beyond {@link CommonJobOptions}; jobs/README.md lists them.
 */
public final class ThreatDetectionJobOptions {

    public static final ConfigOption<String> RULES_TOPIC =
            key("topic.rules")
                    .stringType()
                    .defaultValue(Topic.RULES.topicName())
                    .withDescription("Topic of rule commands (upsert, enable, disable, delete).");

    public static final ConfigOption<String> ACKS_TOPIC =
            key("topic.rule-acks")
                    .stringType()
                    .defaultValue(Topic.RULE_ACKS.topicName())
                    .withDescription("Topic the acknowledgement of every rule command goes to.");

    public static final ConfigOption<String> ALERTS_TOPIC =
            key("topic.alerts")
                    .stringType()
                    .defaultValue(Topic.ALERTS.topicName())
                    .withDescription("Topic the alerts are written to.");

    public static final ConfigOption<Boolean> BUILT_IN_RULES =
            key("rules.builtin")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Start with the built-in catalogue (25 rules).");

    public static final ConfigOption<String> RULES_FILE =
            key("rules.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A JSON array of further rules to start with (site-specific rules);"
                                    + " read when the job is submitted.");

    public static final ConfigOption<Boolean> RISK_ANOMALIES =
            key("risk.anomalies")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Join the node-inference job's anomaly scores into alert risk; when"
                                    + " false the anomaly input stays neutral (0.5).");

    public static final ConfigOption<String> ANOMALIES_TOPIC =
            key("topic.anomalies")
                    .stringType()
                    .defaultValue(Topic.ANOMALIES.topicName())
                    .withDescription("Topic of the node-inference job's scores.");

    public static final ConfigOption<Duration> ANOMALY_STALENESS =
            key("risk.anomaly-staleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Oldest score (before the alert's last event) that still counts.");

    public static final ConfigOption<String> CHANGE_WINDOWS =
            key("context.change-windows")
                    .stringType()
                    .defaultValue(OperationsContext.DEFAULT_CHANGE_WINDOWS)
                    .withDescription(
                            "Daily change windows (UTC), e.g. 02:00-04:00,22:30-23:00: events"
                                + " inside one are marked context.change_window for the rules.");

    public static final ConfigOption<String> AUTOMATION_ACCOUNTS =
            key("context.automation-accounts")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Automation accounts (configuration management, patch rollouts),"
                                    + " comma-separated, a leading or trailing * matching any rest:"
                                    + " their events are marked context.automation_account.");

    public static final ConfigOption<Duration> ANOMALY_INTERVAL =
            key("risk.anomaly-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Least event time between two scores of one node: the inference job's"
                                    + " inference.interval, or less. An alert less than this after"
                                    + " its node's newest score knows its score and goes out at"
                                    + " once.");

    public static final ConfigOption<Duration> ANOMALY_CADENCE =
            key("risk.anomaly-cadence")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Processing time between the inference job's commits (its"
                                    + " checkpoint.interval) assumed until the gaps between"
                                    + " arriving scores are measured; an alert waits for its"
                                    + " node's next score twice the longest recent gap plus 1 s.");

    public static final ConfigOption<Duration> ANOMALY_MAX_WAIT =
            key("risk.anomaly-max-wait")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Longest an alert waits (processing time) for its node's next score,"
                                    + " whatever the measured cadence; then it goes out with what"
                                    + " has arrived.");

    public static final ConfigOption<Duration> ANOMALY_OUTAGE_WAIT =
            key("risk.anomaly-outage-wait")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "After a (re)start, longest an alert waits for scores while none has"
                                    + " arrived since (the inference job restores and reads its"
                                    + " backlog first); once scores flow, the usual wait applies"
                                    + " from then.");

    public static final List<ConfigOption<?>> ALL =
            CommonJobOptions.with(
                    List.of(
                            RULES_TOPIC,
                            ACKS_TOPIC,
                            ALERTS_TOPIC,
                            BUILT_IN_RULES,
                            RULES_FILE,
                            RISK_ANOMALIES,
                            ANOMALIES_TOPIC,
                            ANOMALY_STALENESS,
                            CHANGE_WINDOWS,
                            AUTOMATION_ACCOUNTS,
                            ANOMALY_INTERVAL,
                            ANOMALY_CADENCE,
                            ANOMALY_MAX_WAIT,
                            ANOMALY_OUTAGE_WAIT));

    private ThreatDetectionJobOptions() {}
}

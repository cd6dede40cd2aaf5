package dev.vigil.jobs.audit;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.schema.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Options of the audit job beyond {@link CommonJobOptions}; jobs/README.md lists them. */
public final class AuditJobOptions {

    public static final ConfigOption<String> KEYSTORE =
            key("audit.keystore")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Key store directory (see audit/README.md); its password comes from"
                                + " --keystore.password-file, else VIGIL_KEYSTORE_PASSWORD in the"
                                + " TaskManagers' environment.");

    public static final ConfigOption<Duration> HEAD_INTERVAL =
            key("audit.head-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Event time between two signed tree heads of a chain that grew.");

    public static final ConfigOption<String> AUDIT_TOPIC =
            key("topic.audit")
                    .stringType()
                    .defaultValue(Topic.AUDIT.topicName())
                    .withDescription("Audit entries.");

    public static final ConfigOption<String> CHECKPOINTS_TOPIC =
            key("topic.audit-checkpoints")
                    .stringType()
                    .defaultValue(Topic.AUDIT_CHECKPOINTS.topicName())
                    .withDescription("Signed tree heads.");

    public static final ConfigOption<String> ALERTS_TOPIC =
            key("topic.alerts")
                    .stringType()
                    .defaultValue(Topic.ALERTS.topicName())
                    .withDescription("Audited: every alert.");

    public static final ConfigOption<String> ANOMALIES_TOPIC =
            key("topic.anomalies")
                    .stringType()
                    .defaultValue(Topic.ANOMALIES.topicName())
                    .withDescription("Audited: anomalous scores and failure probabilities > 0.8.");

    public static final ConfigOption<String> COMMANDS_TOPIC =
            key("topic.remediation-commands")
                    .stringType()
                    .defaultValue(Topic.REMEDIATION_COMMANDS.topicName())
                    .withDescription("Audited: every command and retry.");

    public static final ConfigOption<String> RESULTS_TOPIC =
            key("topic.remediation-results")
                    .stringType()
                    .defaultValue(Topic.REMEDIATION_RESULTS.topicName())
                    .withDescription("Audited: every lifecycle report.");

    public static final ConfigOption<String> APPROVALS_TOPIC =
            key("topic.approvals")
                    .stringType()
                    .defaultValue(Topic.APPROVALS.topicName())
                    .withDescription("Audited: every approval decision.");

    public static final ConfigOption<String> RULE_ACKS_TOPIC =
            key("topic.rule-acks")
                    .stringType()
                    .defaultValue(Topic.RULE_ACKS.topicName())
                    .withDescription(
                            "Audited: every rule change as acknowledged by the threat job.");

    public static final ConfigOption<String> MODELS_TOPIC =
            key("topic.models")
                    .stringType()
                    .defaultValue(Topic.MODELS.topicName())
                    .withDescription(
                            "Audited: every model publication and retirement (metadata and artifact"
                                    + " SHA-256; the ONNX bytes are left out).");

    public static final List<ConfigOption<?>> ALL =
            CommonJobOptions.with(
                    List.of(
                            KEYSTORE,
                            CommonJobOptions.KEYSTORE_PASSWORD_FILE,
                            HEAD_INTERVAL,
                            AUDIT_TOPIC,
                            CHECKPOINTS_TOPIC,
                            ALERTS_TOPIC,
                            ANOMALIES_TOPIC,
                            COMMANDS_TOPIC,
                            RESULTS_TOPIC,
                            APPROVALS_TOPIC,
                            RULE_ACKS_TOPIC,
                            MODELS_TOPIC));

    private AuditJobOptions() {}
}

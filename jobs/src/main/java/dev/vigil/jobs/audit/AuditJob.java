package dev.vigil.jobs.audit;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.common.CommonJobOptions.IDLENESS;
import static dev.vigil.jobs.common.CommonJobOptions.OUT_OF_ORDERNESS;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import dev.vigil.operators.audit.AuditDescriber;
import dev.vigil.operators.audit.AuditInputDeserializationSchema;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.ingest.ControlSignatures;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Approval;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.ThreatAlert;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Entry point of the audit job; options in {@link AuditJobOptions} and jobs/README.md. */
public final class AuditJob {

    private AuditJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(
                        args,
                        AuditJobOptions.ALL,
                        List.of(BOOTSTRAP_SERVERS, AuditJobOptions.KEYSTORE));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(
                env,
                options,
                SignerSource.keyStore(
                        options.get(AuditJobOptions.KEYSTORE),
                        options.get(CommonJobOptions.KEYSTORE_PASSWORD_FILE)));
        env.execute("vigil-" + AuditPipeline.JOB_NAME);
    }

    /** Applies {@code options} to {@code env} and adds the job's sources, operators and sinks. */
    public static void configure(
            StreamExecutionEnvironment env, Configuration options, SignerSource signer) {
        JobSetup setup = new JobSetup(options, AuditPipeline.JOB_NAME);
        setup.configure(env);
        DeadLetterFactory dead = new DeadLetterFactory(AuditPipeline.JOB_NAME);
        String trustedAuthors = setup.trustedAuthors();
        List<AuditPipeline.Input> inputs =
                List.of(
                        input(
                                setup,
                                options,
                                AuditJobOptions.ALERTS_TOPIC,
                                "alerts",
                                ThreatAlert.class,
                                AuditDescriber.alerts(),
                                dead,
                                null),
                        input(
                                setup,
                                options,
                                AuditJobOptions.ANOMALIES_TOPIC,
                                "anomalies",
                                AnomalyScore.class,
                                AuditDescriber.anomalies(),
                                dead,
                                null),
                        input(
                                setup,
                                options,
                                AuditJobOptions.COMMANDS_TOPIC,
                                "commands",
                                RemediationCommand.class,
                                AuditDescriber.commands(),
                                dead,
                                null),
                        input(
                                setup,
                                options,
                                AuditJobOptions.RESULTS_TOPIC,
                                "results",
                                RemediationResult.class,
                                AuditDescriber.results(),
                                dead,
                                null),
                        input(
                                setup,
                                options,
                                AuditJobOptions.APPROVALS_TOPIC,
                                "approvals",
                                Approval.class,
                                AuditDescriber.approvals(),
                                dead,
                                ControlSignatures.approvals(trustedAuthors)),
                        input(
                                setup,
                                options,
                                AuditJobOptions.RULE_ACKS_TOPIC,
                                "rule-acks",
                                RuleAck.class,
                                AuditDescriber.ruleAcks(),
                                dead,
                                null),
                        input(
                                setup,
                                options,
                                AuditJobOptions.MODELS_TOPIC,
                                "models",
                                ModelUpdate.class,
                                AuditDescriber.models(),
                                dead,
                                ControlSignatures.models(trustedAuthors)));
        new AuditPipeline(
                        signer,
                        options.get(AuditJobOptions.HEAD_INTERVAL),
                        options.get(OUT_OF_ORDERNESS),
                        options.get(IDLENESS))
                .build(
                        env,
                        inputs,
                        setup.sink(
                                options.get(AuditJobOptions.AUDIT_TOPIC),
                                AuditEvent.class,
                                AuditEvent::getChainId,
                                e -> e.getOccurredAt().toEpochMilli(),
                                "audit"),
                        setup.sink(
                                options.get(AuditJobOptions.CHECKPOINTS_TOPIC),
                                AuditCheckpoint.class,
                                AuditCheckpoint::getChainId,
                                c -> c.getCreatedAt().toEpochMilli(),
                                "audit-checkpoints"),
                        setup.deadLetterSink());
    }

    private static <T extends SpecificRecord> AuditPipeline.Input input(
            JobSetup setup,
            Configuration options,
            ConfigOption<String> topic,
            String name,
            Class<T> type,
            AuditDescriber<T> describer,
            DeadLetterFactory dead,
            ControlSignatures<T> signatures) {
        return new AuditPipeline.Input(
                name,
                setup.positionedSource(
                        options.get(topic),
                        new AuditInputDeserializationSchema<>(type, describer, dead, signatures)),
                name.equals("rule-acks") || name.equals("models"));
    }
}

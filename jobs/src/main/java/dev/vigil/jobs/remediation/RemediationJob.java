package dev.vigil.jobs.remediation;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.common.CommonJobOptions.IDLENESS;
import static dev.vigil.jobs.common.CommonJobOptions.OUT_OF_ORDERNESS;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.ingest.AvroTopicDeserializationSchema;
import dev.vigil.operators.ingest.ControlSignatures;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.kafka.AvroRecordSerializer;
import dev.vigil.operators.remediation.PolicyCatalogue;
import dev.vigil.operators.remediation.RateLimits;
import dev.vigil.operators.remediation.RemediationInputLimits;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Approval;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.ThreatAlert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Entry point of the remediation job; options in {@link RemediationJobOptions}. */
public final class RemediationJob {

    private RemediationJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(
                        args,
                        RemediationJobOptions.ALL,
                        List.of(BOOTSTRAP_SERVERS, RemediationJobOptions.KEYSTORE));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(
                env,
                options,
                SignerSource.keyStore(
                        options.get(RemediationJobOptions.KEYSTORE),
                        options.get(CommonJobOptions.KEYSTORE_PASSWORD_FILE)));
        env.execute("vigil-" + RemediationPipeline.JOB_NAME);
    }

    /** Applies {@code options} to {@code env} and adds the job's sources, operators and sinks. */
    public static void configure(
            StreamExecutionEnvironment env, Configuration options, SignerSource signer)
            throws IOException {
        JobSetup setup = new JobSetup(options, RemediationPipeline.JOB_NAME);
        setup.configure(env);
        PolicyCatalogue catalogue =
                options.getOptional(RemediationJobOptions.POLICIES).isPresent()
                        ? PolicyCatalogue.parse(
                                Files.readString(
                                        Path.of(options.get(RemediationJobOptions.POLICIES))))
                        : PolicyCatalogue.builtIn();
        RateLimits limits =
                new RateLimits(
                        options.get(RemediationJobOptions.PER_TARGET),
                        options.get(RemediationJobOptions.PER_ACTION),
                        options.get(RemediationJobOptions.GLOBAL),
                        options.get(RemediationJobOptions.PERIOD).toMillis());
        DeadLetterFactory dead = new DeadLetterFactory(RemediationPipeline.JOB_NAME);
        new RemediationPipeline(
                        catalogue,
                        limits,
                        signer,
                        options.get(OUT_OF_ORDERNESS),
                        options.get(IDLENESS),
                        options.get(RemediationJobOptions.APPROVALS_TOPIC),
                        options.get(RemediationJobOptions.RESULTS_TOPIC))
                .build(
                        env,
                        setup.positionedSource(
                                options.get(RemediationJobOptions.ALERTS_TOPIC),
                                new AvroTopicDeserializationSchema<>(ThreatAlert.class, dead)),
                        setup.positionedSource(
                                options.get(RemediationJobOptions.ANOMALIES_TOPIC),
                                new AvroTopicDeserializationSchema<>(AnomalyScore.class, dead)),
                        setup.positionedSource(
                                options.get(RemediationJobOptions.APPROVALS_TOPIC),
                                new AvroTopicDeserializationSchema<>(
                                        Approval.class,
                                        dead,
                                        RemediationInputLimits::approval,
                                        ControlSignatures.approvals(setup.trustedAuthors()))),
                        setup.positionedSource(
                                options.get(RemediationJobOptions.RESULTS_TOPIC),
                                new AvroTopicDeserializationSchema<>(
                                        RemediationResult.class,
                                        dead,
                                        RemediationInputLimits::result)),
                        // signed twice: in the record (older agents) and over the bytes written
                        setup.sink(
                                new AvroRecordSerializer<>(
                                                options.get(RemediationJobOptions.COMMANDS_TOPIC),
                                                RemediationCommand.class,
                                                RemediationCommand::getTargetNodeId,
                                                c -> c.getIssuedAt().toEpochMilli())
                                        .signedWith(signer),
                                "commands"),
                        setup.sink(
                                options.get(RemediationJobOptions.RESULTS_TOPIC),
                                RemediationResult.class,
                                RemediationResult::getCommandId,
                                r -> r.getReportedAt().toEpochMilli(),
                                "decided"),
                        setup.deadLetterSink());
    }
}

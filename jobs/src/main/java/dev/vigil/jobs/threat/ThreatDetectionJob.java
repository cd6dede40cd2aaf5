package dev.vigil.jobs.threat;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.common.CommonJobOptions.TELEMETRY_TOPIC;
import static dev.vigil.jobs.threat.ThreatDetectionJobOptions.ACKS_TOPIC;
import static dev.vigil.jobs.threat.ThreatDetectionJobOptions.ALERTS_TOPIC;
import static dev.vigil.jobs.threat.ThreatDetectionJobOptions.RULES_TOPIC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import dev.vigil.operators.ingest.AvroTopicDeserializationSchema;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.threat.engine.AnomalyRiskJoin;
import dev.vigil.operators.threat.engine.RuleCommandDeserializationSchema;
import dev.vigil.operators.threat.engine.RuleSet;
import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.ThreatAlert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the threat-detection job; options in {@link ThreatDetectionJobOptions} and
 * jobs/README.md.
 */
public final class ThreatDetectionJob {

    private ThreatDetectionJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(args, ThreatDetectionJobOptions.ALL, List.of(BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, options);
        env.execute("vigil-" + ThreatDetectionPipeline.JOB_NAME);
    }

    /**
     * The rules the job starts with: the built-in catalogue (unless switched off) and those of
     * {@code rules.file}; every one is validated here, so a bad file stops the submission with the
     * rule and field named.
     */
    static List<String> startingRules(Configuration options) {
        List<String> rules = new ArrayList<>();
        if (options.get(ThreatDetectionJobOptions.BUILT_IN_RULES)) {
            rules.addAll(RuleCatalogue.builtIn());
        }
        options.getOptional(ThreatDetectionJobOptions.RULES_FILE)
                .ifPresent(file -> rules.addAll(readRules(Path.of(file))));
        // fails fast on an invalid rule or a duplicate id
        RuleSet.parseCatalogue(rules);
        return rules;
    }

    private static List<String> readRules(Path file) {
        try {
            JsonNode array =
                    new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (array == null || !array.isArray()) {
                throw new IllegalArgumentException(
                        "option --rules.file: " + file + " must hold a JSON array of rules");
            }
            List<String> rules = new ArrayList<>();
            array.forEach(rule -> rules.add(rule.toString()));
            return rules;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "option --rules.file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Applies {@code options} to {@code env} and adds the job's sources, operators and sinks. */
    public static void configure(StreamExecutionEnvironment env, Configuration options) {
        JobSetup setup = new JobSetup(options, ThreatDetectionPipeline.JOB_NAME);
        setup.configure(env);
        ThreatDetectionPipeline pipeline =
                new ThreatDetectionPipeline(
                        options.get(TELEMETRY_TOPIC), setup.eventTime(), startingRules(options));
        try {
            pipeline.withOperations(
                    OperationsContext.parse(
                            options.get(ThreatDetectionJobOptions.CHANGE_WINDOWS),
                            options.get(ThreatDetectionJobOptions.AUTOMATION_ACCOUNTS)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "option --"
                            + ThreatDetectionJobOptions.CHANGE_WINDOWS.key()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        if (options.get(ThreatDetectionJobOptions.RISK_ANOMALIES)) {
            pipeline.withAnomalies(
                    setup.positionedSource(
                            options.get(ThreatDetectionJobOptions.ANOMALIES_TOPIC),
                            new AvroTopicDeserializationSchema<>(
                                    AnomalyScore.class,
                                    new DeadLetterFactory(ThreatDetectionPipeline.JOB_NAME))),
                    new AnomalyRiskJoin(
                            options.get(ThreatDetectionJobOptions.ANOMALY_STALENESS),
                            options.get(ThreatDetectionJobOptions.ANOMALY_INTERVAL),
                            options.get(ThreatDetectionJobOptions.ANOMALY_CADENCE),
                            options.get(ThreatDetectionJobOptions.ANOMALY_MAX_WAIT),
                            options.get(ThreatDetectionJobOptions.ANOMALY_OUTAGE_WAIT)));
        }
        String trustedAuthors = setup.trustedAuthors();
        pipeline.verifiedCommands(trustedAuthors != null);
        pipeline.build(
                env,
                setup.telemetrySource(),
                setup.source(
                        options.get(RULES_TOPIC),
                        new RuleCommandDeserializationSchema(
                                new DeadLetterFactory(ThreatDetectionPipeline.JOB_NAME),
                                trustedAuthors)),
                setup.sink(
                        options.get(ALERTS_TOPIC),
                        ThreatAlert.class,
                        a -> a.getNodeId() != null ? a.getNodeId() : a.getGroupKey(),
                        a -> a.getLastEventTime().toEpochMilli(),
                        "alerts"),
                setup.sink(
                        options.get(ACKS_TOPIC),
                        RuleAck.class,
                        RuleAck::getRuleId,
                        a -> a.getAckedAt().toEpochMilli(),
                        "rule-acks"),
                setup.deadLetterSink());
    }
}

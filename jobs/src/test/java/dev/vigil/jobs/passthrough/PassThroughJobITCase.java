package dev.vigil.jobs.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' ceiling job on a real broker: every record arrives once, exactly-once, with its
 * key, value, timestamp and headers unchanged.
 */
class PassThroughJobITCase {

    static final String PREFIX = "pass-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir static Path dir;

    @Test
    void copiesEveryRecordOnceAndUnchanged() throws Exception {
        KAFKA.createTopics(4, PREFIX + "in", PREFIX + "out");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(
                    "vigil.schema.name", ("schema-" + (i % 3)).getBytes(StandardCharsets.UTF_8));
            if (i % 2 == 0) {
                headers.add("trace", new byte[] {(byte) i, 0, (byte) (i >> 8)});
            }
            records.add(
                    new ProducerRecord<>(
                            PREFIX + "in",
                            i % 4,
                            1_790_000_000_000L + i * 7L,
                            i % 10 == 0
                                    ? null
                                    : ("node-" + i % 50).getBytes(StandardCharsets.UTF_8),
                            ("value-" + i).getBytes(StandardCharsets.UTF_8),
                            headers));
        }
        KAFKA.produce(records);
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            KAFKA.bootstrapServers(),
                            "--topic.telemetry",
                            PREFIX + "in",
                            "--topic.output",
                            PREFIX + "out",
                            "--source.bounded",
                            "true",
                            "--checkpoint.interval",
                            "1 s",
                            "--checkpoint.dir",
                            dir.resolve("cp").toUri().toString(),
                            "--sink.transactional-id-prefix",
                            PREFIX,
                            "--restart.attempts",
                            "0",
                            "--parallelism",
                            "2"
                        },
                        PassThroughJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PassThroughJob.configure(env, options);
        env.execute("pass-through");

        List<String> expected = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            expected.add(describe(r.key(), r.value(), r.timestamp(), r.headers().toArray()));
        }
        List<String> copied = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readCommitted(PREFIX + "out")) {
            copied.add(describe(r.key(), r.value(), r.timestamp(), r.headers().toArray()));
        }
        assertThat(copied).hasSize(2_000).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static String describe(byte[] key, byte[] value, long timestamp, Header[] headers) {
        StringBuilder s = new StringBuilder();
        s.append(key == null ? "null" : Arrays.toString(key))
                .append('|')
                .append(Arrays.toString(value))
                .append('|')
                .append(timestamp);
        for (Header h : headers) {
            s.append('|').append(h.key()).append('=').append(Arrays.toString(h.value()));
        }
        return s.toString();
    }
}

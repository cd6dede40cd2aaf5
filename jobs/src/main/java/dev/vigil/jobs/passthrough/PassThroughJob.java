package dev.vigil.jobs.passthrough;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.common.CommonJobOptions.TELEMETRY_TOPIC;
import static dev.vigil.jobs.passthrough.PassThroughJobOptions.OUTPUT_TOPIC;

import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The pass-through job: Kafka records copied byte for byte (key, value, timestamp, headers) from
 * the telemetry topic to {@code --topic.output}, with the same source, sink, checkpointing and
 * delivery settings as every Vigil job. It does no work of its own, so its throughput is the
 * ceiling the benchmark harness measures the real jobs against (docs/BENCHMARKS.md).
 */
public final class PassThroughJob {

    static final String JOB_NAME = "pass-through";

    private PassThroughJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(
                        args, PassThroughJobOptions.ALL, List.of(BOOTSTRAP_SERVERS, OUTPUT_TOPIC));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, options);
        env.execute("vigil-" + JOB_NAME);
    }

    /** Applies {@code options} to {@code env} and adds the copying source and sink. */
    public static void configure(StreamExecutionEnvironment env, Configuration options) {
        JobSetup setup = new JobSetup(options, JOB_NAME);
        setup.configure(env);
        String output = options.get(OUTPUT_TOPIC);
        env.fromSource(
                        setup.source(options.get(TELEMETRY_TOPIC), new RawDeserializer()),
                        WatermarkStrategy.noWatermarks(),
                        "telemetry (bytes)")
                .uid("source")
                .sinkTo(setup.sink(new RawSerializer(output), "output"))
                .name(output)
                .uid("sink");
    }

    /** Copies each consumed record. */
    static final class RawDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
            Header[] headers = record.headers().toArray();
            String[] keys = new String[headers.length];
            byte[][] values = new byte[headers.length][];
            for (int i = 0; i < headers.length; i++) {
                keys[i] = headers[i].key();
                values[i] = headers[i].value();
            }
            out.collect(
                    new RawRecord(record.key(), record.value(), record.timestamp(), keys, values));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }

    /** Writes each record unchanged to one topic (named, as pooled transactional ids need). */
    static final class RawSerializer
            implements KafkaRecordSerializationSchema<RawRecord>, KafkaDatasetFacetProvider {

        private static final long serialVersionUID = 1L;

        private final String topic;

        RawSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                RawRecord record, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            for (int i = 0; i < record.headerKeys().length; i++) {
                headers.add(record.headerKeys()[i], record.headerValues()[i]);
            }
            return new ProducerRecord<>(
                    topic, null, record.timestamp(), record.key(), record.value(), headers);
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(
                    new DefaultKafkaDatasetFacet(
                            DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }
    }
}

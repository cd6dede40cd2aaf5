package dev.vigil.bench.e2e;

import dev.vigil.bench.BenchCluster;
import dev.vigil.local.LocalStack;
import dev.vigil.operators.threat.engine.RiskScorer;
import dev.vigil.schema.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A read_committed consumer of a run's output topics that records, for every output, the time from
 * the sensor timestamp it derives from (the topic's event-time field: an alert's last event, a
 * score's event time, a window's end) to the moment the consumer sees it. Outputs whose sensor time
 * lies before {@code from} (the run's warm-up) are not counted.
 */
final class LatencyProbe implements AutoCloseable {

    /** Percentiles of one output topic, in milliseconds. */
    record Latencies(String topic, int count, long p50, long p99, long p999, long max) {

        static Latencies of(String topic, long[] values) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return new Latencies(topic, 0, -1, -1, -1, -1);
            }
            return new Latencies(
                    topic,
                    sorted.length,
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.99),
                    percentile(sorted, 0.999),
                    sorted[sorted.length - 1]);
        }

        /** The nearest-rank percentile. */
        static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /**
     * Node alerts seen (after {@code riskFrom}) and how many of them carry the neutral anomaly
     * input: the risk join found no score of the node for their time.
     */
    record NeutralShare(long nodeAlerts, long neutral) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "neutral anomaly input on %d of %d node alerts (%.2f %%)",
                    neutral,
                    nodeAlerts,
                    nodeAlerts == 0 ? 0.0 : 100.0 * neutral / nodeAlerts);
        }
    }

    private final Map<String, Topic> topics;
    private final Map<String, List<Long>> latencies = new LinkedHashMap<>();
    private final long from;
    private volatile long riskFrom = Long.MAX_VALUE;
    private volatile long nodeAlerts;
    private volatile long neutralAlerts;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /**
     * @param topics the run's output topics and the schema each holds
     * @param from sensor time (epoch ms) before which outputs are not counted
     */
    LatencyProbe(LocalStack stack, Map<String, Topic> topics, long from) {
        this.topics = topics;
        this.from = from;
        topics.keySet().forEach(t -> latencies.put(t, new ArrayList<>()));
        thread = new Thread(() -> read(stack), "latency-probe");
        thread.start();
    }

    private void read(LocalStack stack) {
        Map<String, GenericDatumReader<GenericRecord>> readers = new LinkedHashMap<>();
        topics.forEach((name, t) -> readers.put(name, new GenericDatumReader<>(t.valueSchema())));
        BinaryDecoder decoder = null;
        try (KafkaConsumer<byte[], byte[]> consumer = BenchCluster.consumer(stack)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics.keySet()) {
                partitions.addAll(BenchCluster.partitions(consumer, topic));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    decoder = DecoderFactory.get().binaryDecoder(record.value(), decoder);
                    GenericRecord value = readers.get(record.topic()).read(null, decoder);
                    Object time = value.get(topics.get(record.topic()).timeField());
                    if (time instanceof Long sensorTime && sensorTime >= from) {
                        latencies.get(record.topic()).add(now - sensorTime);
                    }
                    if (topics.get(record.topic()) == Topic.ALERTS
                            && value.get("node_id") != null
                            && time instanceof Long sensorTime
                            && sensorTime >= riskFrom) {
                        nodeAlerts++;
                        if ((Double) value.get("anomaly_component") == RiskScorer.NEUTRAL) {
                            neutralAlerts++;
                        }
                    }
                }
            }
        } catch (Exception e) {
            failure = new IllegalStateException("the latency probe failed", e);
        }
    }

    /**
     * Counts the neutral share of node alerts whose last event is at or after {@code time} (when
     * every node has been scored: the inference warm-up and one interval after the run's start).
     */
    LatencyProbe neutralShareFrom(long time) {
        riskFrom = time;
        return this;
    }

    /** The neutral share so far. */
    NeutralShare neutralShare() {
        return new NeutralShare(nodeAlerts, neutralAlerts);
    }

    /** Stops reading and returns the latencies per topic. */
    List<Latencies> stop() throws InterruptedException {
        running = false;
        thread.join();
        if (failure != null) {
            throw failure;
        }
        List<Latencies> result = new ArrayList<>();
        latencies.forEach(
                (topic, values) ->
                        result.add(
                                Latencies.of(
                                        topic,
                                        values.stream().mapToLong(Long::longValue).toArray())));
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }
}

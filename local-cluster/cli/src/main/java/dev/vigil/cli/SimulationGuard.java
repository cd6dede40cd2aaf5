package dev.vigil.cli;

import dev.vigil.local.LocalStack;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.simulator.SimulatorOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Refuses a {@code vigil simulate} run on the local stack whose events the stack's jobs would
 * reject: one of the same fleet beside the stack's own simulator (the same node ids in real time; a
 * fleet of its own, {@code --fleet}, may run beside it in real time, starting now), or one that
 * starts before the newest event time already in {@code telemetry} (every event late, sequence
 * numbers repeated, which the threat rules read as replayed or forged sensors).
 */
final class SimulationGuard {

    private SimulationGuard() {}

    /** Why the run must not start, or empty. */
    static Optional<String> problem(
            LocalStack stack, SimulatorOptions options, KafkaClientSettings reader) {
        Optional<Long> own = stack.running("simulator").map(ManagedProcess::pid);
        return problem(own, () -> newestEventTime(reader), options, Instant.now());
    }

    /**
     * Why the run must not start, given the pid of the stack's own simulator (if it runs) and the
     * newest event time in telemetry (asked only when needed).
     */
    static Optional<String> problem(
            Optional<Long> own,
            java.util.function.Supplier<Optional<Instant>> newestEventTime,
            SimulatorOptions options,
            Instant now) {
        if (own.isPresent() && options.fleetName() == null) {
            return Optional.of(
                    "the stack's own simulator is running (pid "
                            + own.get()
                            + ") and writes this fleet in real time; a second run would repeat its"
                            + " nodes' sequence numbers and, ending now, reach the jobs late."
                            + " Simulate a fleet of its own beside it in real time (--fleet"
                            + " <name>), or on a stack without it: ./vigil down && ./vigil up"
                            + " --no-simulator");
        }
        if (own.isPresent() && options.pacing() != SimulatorOptions.Pacing.REALTIME) {
            return Optional.of(
                    "the stack's own simulator writes in real time: a second fleet faster than"
                            + " real time would push event time ahead and make the running"
                            + " fleet's events late. Beside it, simulate in real time (--rate"
                            + " realtime, the default)");
        }
        if (own.isPresent() && options.start().isBefore(now.minusSeconds(60))) {
            return Optional.of(
                    "beside the stack's own simulator a fleet must start now: its events from "
                            + options.start().truncatedTo(ChronoUnit.SECONDS)
                            + " would be late (leave out --start)");
        }
        if (own.isPresent()) {
            return Optional.empty();
        }
        Optional<Instant> newest = newestEventTime.get();
        if (newest.isPresent() && options.start().isBefore(newest.get())) {
            Instant from = newest.get().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
            return Optional.of(
                    "the stack's telemetry already reaches "
                            + newest.get().truncatedTo(ChronoUnit.SECONDS)
                            + " and this run would start at "
                            + options.start().truncatedTo(ChronoUnit.SECONDS)
                            + ": its events would be late (LATE_EVENT dead letters) and repeat"
                            + " sequence numbers. Start after it (--start "
                            + from
                            + "), or begin on an empty stack (./vigil down, remove the data"
                            + " directory, ./vigil up --no-simulator)");
        }
        return Optional.empty();
    }

    /**
     * The newest event time of the last record of each {@code telemetry} partition; empty when the
     * topic is empty or the broker cannot be read (the simulator then says so itself).
     */
    static Optional<Instant> newestEventTime(KafkaClientSettings reader) {
        Properties p = reader.toProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
        String topic = Topic.TELEMETRY.topicName();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<TopicPartition> filled =
                    partitions.stream().filter(tp -> end.get(tp) > 0).toList();
            if (filled.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(filled);
            // the last few records of each partition: the newest event time is among them
            filled.forEach(tp -> consumer.seek(tp, Math.max(0, end.get(tp) - 20)));
            Instant newest = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline
                    && filled.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        Instant t = codec.decode(r.value()).getEventTime();
                        if (newest == null || t.isAfter(newest)) {
                            newest = t;
                        }
                    } catch (AvroDecodeException | RuntimeException e) {
                        // a hostile or foreign record tells nothing about the fleet's time
                    }
                }
            }
            return Optional.ofNullable(newest);
        } catch (KafkaException e) {
            return Optional.empty();
        }
    }
}

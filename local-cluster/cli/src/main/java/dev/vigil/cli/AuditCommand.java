package dev.vigil.cli;

import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.HybridPublicKeys;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.local.process.LaunchException;
import dev.vigil.operators.audit.AuditCompleteness;
import dev.vigil.operators.audit.AuditedTopic;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code vigil audit verify [--export FILE] [--keys DIR]} and {@code vigil audit export FILE}:
 * proves the integrity of the audit trail on the running stack's topics, or of an export of them,
 * with the key store's public keys; names the first record at fault.
 */
final class AuditCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./vigil audit verify [--export FILE] [--keys DIR]",
                    "           check every hash chain and signed tree head of the audit topics"
                            + " (or of an export), and that every audited record up to the newest"
                            + " signed head has its entry; exit 0 when intact and complete, 1"
                            + " naming the first bad or missing record",
                    "       ./vigil audit prove --chain CHAIN --sequence N [--export FILE]",
                    "           RFC 9162 inclusion proof of an entry in the newest signed tree head"
                            + " that covers it, and the consistency proof from the head before",
                    "       ./vigil audit export FILE",
                    "           write the audit and audit-checkpoints topics to FILE (one record"
                            + " per line: topic, partition, offset, Base64 value)");

    /** A record as read: where from, its value, and its headers (the last value of each). */
    record Raw(
            String topic, int partition, long offset, byte[] value, Map<String, byte[]> headers) {

        /** A record from an export, which keeps no headers. */
        Raw(String topic, int partition, long offset, byte[] value) {
            this(topic, partition, offset, value, Map.of());
        }
    }

    private final KafkaClientSettings kafka;
    private final Path publicKeys;
    private final PrintStream out;
    private final PrintStream err;

    AuditCommand(KafkaClientSettings kafka, Path publicKeys, PrintStream out, PrintStream err) {
        this.kafka = kafka;
        this.publicKeys = publicKeys;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        try {
            return runChecked(args);
        } catch (IOException e) {
            err.println("vigil audit: " + e.getMessage());
            return 1;
        }
    }

    private int runChecked(List<String> args) throws IOException {
        if (args.isEmpty()) {
            out.println(USAGE);
            return 2;
        }
        String sub = args.remove(0);
        switch (sub) {
            case "verify" -> {
                Path export = null;
                Path keys = publicKeys;
                while (!args.isEmpty()) {
                    String a = args.remove(0);
                    if (args.isEmpty()) {
                        throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
                    }
                    switch (a) {
                        case "--export" -> export = Path.of(args.remove(0));
                        case "--keys" -> keys = Path.of(args.remove(0));
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown option " + a + "\n" + USAGE);
                    }
                }
                List<Raw> records = export == null ? readTopics() : readExport(export);
                int intact = verify(records, KeyStoreDirectory.readPublicKeys(keys));
                if (intact != 0) {
                    return intact;
                }
                if (export != null) {
                    out.println(
                            "  completeness not checked: an export holds the trail, not the"
                                    + " audited topics");
                    return 0;
                }
                return complete(records, readAudited());
            }
            case "prove" -> {
                String chain = null;
                long sequence = -1;
                Path export = null;
                while (!args.isEmpty()) {
                    String a = args.remove(0);
                    if (args.isEmpty()) {
                        throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
                    }
                    switch (a) {
                        case "--chain" -> chain = args.remove(0);
                        case "--sequence" -> sequence = Long.parseLong(args.remove(0));
                        case "--export" -> export = Path.of(args.remove(0));
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown option " + a + "\n" + USAGE);
                    }
                }
                if (chain == null || sequence < 0) {
                    throw new IllegalArgumentException(
                            "--chain and --sequence are required\n" + USAGE);
                }
                return prove(export == null ? readTopics() : readExport(export), chain, sequence);
            }
            case "export" -> {
                if (args.size() != 1) {
                    throw new IllegalArgumentException(USAGE);
                }
                List<Raw> records = readTopics();
                write(records, Path.of(args.get(0)));
                out.printf("exported %,d records to %s%n", records.size(), args.get(0));
                return 0;
            }
            default ->
                    throw new IllegalArgumentException(
                            "unknown audit command " + sub + "\n" + USAGE);
        }
    }

    /** Verifies raw records; prints the report; 0 when intact, 1 otherwise. */
    int verify(List<Raw> records, Map<String, HybridPublicKeys> keys) {
        AvroCodec<AuditEvent> events = AvroCodec.of(AuditEvent.class);
        AvroCodec<AuditCheckpoint> heads = AvroCodec.of(AuditCheckpoint.class);
        List<AuditVerifier.Located<AuditEvent>> entries = new ArrayList<>();
        List<AuditVerifier.Located<AuditCheckpoint>> checkpoints = new ArrayList<>();
        for (Raw r : records) {
            try {
                if (r.topic().equals(Topic.AUDIT_CHECKPOINTS.topicName())) {
                    checkpoints.add(
                            new AuditVerifier.Located<>(
                                    r.topic(), r.partition(), r.offset(), heads.decode(r.value())));
                } else {
                    entries.add(
                            new AuditVerifier.Located<>(
                                    r.topic(),
                                    r.partition(),
                                    r.offset(),
                                    events.decode(r.value())));
                }
            } catch (AvroDecodeException e) {
                out.printf(
                        "TAMPERED: %s partition %d offset %d: the record cannot be decoded (%s)%n",
                        r.topic(), r.partition(), r.offset(), e.getMessage());
                return 1;
            }
        }
        long started = System.nanoTime();
        AuditVerifier.Report report =
                new AuditVerifier(keys, n -> err.printf("  verified %,d entries ...%n", n))
                        .verify(entries, checkpoints);
        if (!report.intact()) {
            out.println("TAMPERED: " + report.problem());
            return 1;
        }
        out.printf(
                "audit trail intact: %,d entries in %d chains %s, %,d signed tree heads (%.1f s)%n",
                report.entries(),
                report.chainSizes().size(),
                report.chainSizes(),
                report.checkpoints(),
                (System.nanoTime() - started) / 1e9);
        if (!report.uncovered().isEmpty()) {
            out.println(
                    "  not yet under a signed tree head (the next one covers them): "
                            + report.uncovered());
        }
        return 0;
    }

    /**
     * Checks that every audited record up to its chain's newest signed tree head has its entry;
     * prints the result; 0 when complete, 1 naming the first missing record.
     */
    int complete(List<Raw> trail, Map<String, List<AuditCompleteness.Source>> audited) {
        AvroCodec<AuditEvent> events = AvroCodec.of(AuditEvent.class);
        AvroCodec<AuditCheckpoint> heads = AvroCodec.of(AuditCheckpoint.class);
        List<AuditEvent> entries = new ArrayList<>();
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        try {
            for (Raw r : trail) {
                if (r.topic().equals(Topic.AUDIT_CHECKPOINTS.topicName())) {
                    checkpoints.add(heads.decode(r.value()));
                } else {
                    entries.add(events.decode(r.value()));
                }
            }
        } catch (AvroDecodeException e) {
            throw new IllegalStateException("verified records no longer decode", e);
        }
        Map<String, AuditedTopic<?>> topics = new java.util.LinkedHashMap<>();
        for (AuditedTopic<?> t : AuditedTopic.all()) {
            topics.put(t.topic().topicName(), t);
        }
        AuditCompleteness.Report report =
                AuditCompleteness.check(topics, audited, entries, checkpoints);
        if (!report.complete()) {
            out.println("INCOMPLETE: " + report.missing().get(0));
            if (report.missing().size() > 1) {
                out.printf(
                        "  and %,d more audited records without an entry%n",
                        report.missing().size() - 1);
            }
            return 1;
        }
        out.printf(
                "audit trail complete: every one of %,d audited records up to its chain's newest"
                        + " signed tree head has its entry%n",
                report.audited());
        if (report.pending() > 0) {
            out.printf(
                    "  %,d newer records are not under a signed tree head yet%n", report.pending());
        }
        if (report.waiting() > 0) {
            out.printf(
                    "  %,d of them have no entry yet: the audit job appends them once its event"
                            + " time passes them (at the latest when its inputs fall idle)%n",
                    report.waiting());
        }
        return 0;
    }

    /** The records of every audited topic. */
    Map<String, List<AuditCompleteness.Source>> readAudited() {
        Map<String, List<AuditCompleteness.Source>> sources = new java.util.LinkedHashMap<>();
        for (AuditedTopic<?> t : AuditedTopic.all()) {
            String name = t.topic().topicName();
            List<AuditCompleteness.Source> records = new ArrayList<>();
            for (Raw r : read(name)) {
                records.add(
                        new AuditCompleteness.Source(
                                r.topic(), r.partition(), r.offset(), r.value()));
            }
            sources.put(name, records);
        }
        return sources;
    }

    /** Prints and checks the inclusion proof of one entry and the consistency proof of its head. */
    int prove(List<Raw> records, String chain, long sequence) {
        AvroCodec<AuditEvent> events = AvroCodec.of(AuditEvent.class);
        AvroCodec<AuditCheckpoint> heads = AvroCodec.of(AuditCheckpoint.class);
        List<byte[]> leaves = new ArrayList<>();
        List<AuditCheckpoint> chainHeads = new ArrayList<>();
        java.util.Set<String> chains = new java.util.TreeSet<>();
        try {
            for (Raw r : records) {
                if (r.topic().equals(Topic.AUDIT_CHECKPOINTS.topicName())) {
                    AuditCheckpoint c = heads.decode(r.value());
                    chains.add(c.getChainId());
                    if (c.getChainId().equals(chain)) {
                        chainHeads.add(c);
                    }
                } else {
                    AuditEvent e = events.decode(r.value());
                    chains.add(e.getChainId());
                    if (e.getChainId().equals(chain)) {
                        leaves.add(dev.vigil.audit.AuditChain.bytes(e.getHash()));
                    }
                }
            }
        } catch (AvroDecodeException e) {
            out.println("a record cannot be decoded; run ./vigil audit verify: " + e.getMessage());
            return 1;
        }
        if (!chains.contains(chain)) {
            out.printf(
                    "unknown chain %s; the trail has %s%n",
                    chain,
                    chains.isEmpty() ? "no chains yet" : "chains " + String.join(", ", chains));
            return 2;
        }
        if (sequence < 0 || sequence >= leaves.size()) {
            out.printf(
                    "chain %s has %,d entries (sequences 0..%d): there is no entry %d%n",
                    chain, leaves.size(), leaves.size() - 1, sequence);
            return 2;
        }
        AuditCheckpoint head = null;
        AuditCheckpoint before = null;
        for (AuditCheckpoint c : chainHeads) {
            if (c.getTreeSize() > sequence && c.getTreeSize() <= leaves.size()) {
                before = head;
                head = c;
            }
        }
        if (head == null) {
            out.printf("no signed tree head of chain %s covers sequence %d yet%n", chain, sequence);
            return 1;
        }
        int size = (int) head.getTreeSize();
        byte[] root = dev.vigil.audit.AuditChain.bytes(head.getRootHash());
        List<byte[]> path = dev.vigil.audit.MerkleTree.inclusionProof(leaves, (int) sequence, size);
        boolean included =
                dev.vigil.audit.MerkleTree.verifyInclusion(
                        leaves.get((int) sequence), sequence, size, path, root);
        java.util.HexFormat hex = java.util.HexFormat.of();
        out.printf(
                "chain %s entry %d, hash %s%n",
                chain, sequence, hex.formatHex(leaves.get((int) sequence)));
        out.printf(
                "tree head: size %d, root %s, key %s%n",
                size, hex.formatHex(root), head.getKeyId());
        for (byte[] p : path) {
            out.println("  path " + hex.formatHex(p));
        }
        out.println(included ? "inclusion proof verified" : "inclusion proof FAILED");
        boolean consistent = true;
        if (head.getPreviousTreeSize() > 0) {
            int first = (int) head.getPreviousTreeSize();
            List<byte[]> proof = dev.vigil.audit.MerkleTree.consistencyProof(leaves, first, size);
            consistent =
                    dev.vigil.audit.MerkleTree.verifyConsistency(
                            first,
                            size,
                            dev.vigil.audit.AuditChain.bytes(head.getPreviousRootHash()),
                            root,
                            proof);
            out.printf(
                    "consistency proof from size %d to %d (%d hashes) %s%n",
                    first, size, proof.size(), consistent ? "verified" : "FAILED");
        }
        return included && consistent ? 0 : 1;
    }

    List<Raw> readTopics() {
        List<Raw> all = new ArrayList<>(read(Topic.AUDIT.topicName()));
        all.addAll(read(Topic.AUDIT_CHECKPOINTS.topicName()));
        return all;
    }

    List<Raw> read(String topic) {
        Properties p = kafka.toProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-audit-verify-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Raw> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions;
            try {
                partitions =
                        consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                                .map(i -> new TopicPartition(topic, i.partition()))
                                .toList();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new LaunchException(
                        "cannot reach Kafka at "
                                + kafka.bootstrapServers()
                                + " within 15 s to read "
                                + topic
                                + ": is the stack up? (./vigil status; ./vigil up)",
                        e);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, byte[]> headers = new java.util.HashMap<>();
                    for (org.apache.kafka.common.header.Header h : r.headers()) {
                        headers.put(h.key(), h.value());
                    }
                    out.add(new Raw(topic, r.partition(), r.offset(), r.value(), headers));
                }
            }
        }
        return out;
    }

    static void write(List<Raw> records, Path file) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(
                    "# vigil audit export v1: topic, partition, offset, Base64 of the record"
                            + " value\n");
            for (Raw r : records) {
                w.write(
                        r.topic()
                                + "\t"
                                + r.partition()
                                + "\t"
                                + r.offset()
                                + "\t"
                                + b64.encodeToString(r.value())
                                + "\n");
            }
        }
    }

    static List<Raw> readExport(Path file) throws IOException {
        List<Raw> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IOException(file + " line " + n + ": expected 4 tab-separated fields");
            }
            try {
                out.add(
                        new Raw(
                                f[0],
                                Integer.parseInt(f[1]),
                                Long.parseLong(f[2]),
                                Base64.getDecoder().decode(f[3])));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}

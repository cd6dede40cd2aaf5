package dev.vigil.cli;

import dev.vigil.audit.EdgeAgentVerifier;
import dev.vigil.audit.EdgeAgentVerifier.Verdict;
import dev.vigil.audit.FileReplayMemory;
import dev.vigil.audit.HybridPublicKeys;
import dev.vigil.audit.KeyRevocations;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.audit.ReplayMemory;
import dev.vigil.local.process.LaunchException;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil agent verify --node ID [--keys DIR] [--file FILE]}: what an edge agent does with the
 * commands on {@code remediation-commands} (or in a file of Base64 records): checks each command
 * addressed to the node — trusted key, both signatures, own node, not expired, not seen before —
 * and prints the verdict. Exit 1 when any of them is forged or signed by an unknown key.
 */
final class AgentCommand {

    static final String USAGE =
            "usage: ./vigil agent verify --node NODE_ID [--keys DIR] [--file FILE] [--state DIR]\n"
                + "       ./vigil agent export FILE\n"
                + "  export: the commands on remediation-commands, for an agent offline (verify"
                + " --file reads it, and vigil audit export files)\n"
                + "  check the commands addressed to NODE_ID the way its edge agent does; exit 1 if"
                + " one is forged\n"
                + "  --state DIR keeps the agent's replay memory in DIR/NODE_ID.accepted, so that a"
                + " command accepted once is refused in every later run";

    private final KafkaClientSettings kafka;
    private final Path publicKeys;
    private final PrintStream out;
    private final Clock clock;

    AgentCommand(KafkaClientSettings kafka, Path publicKeys, PrintStream out, Clock clock) {
        this.kafka = kafka;
        this.publicKeys = publicKeys;
        this.out = out;
        this.clock = clock;
    }

    int run(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals("export")) {
            args.remove(0);
            if (args.size() != 1) {
                throw new IllegalArgumentException(USAGE);
            }
            return export(Path.of(args.get(0)));
        }
        if (args.isEmpty() || !args.remove(0).equals("verify")) {
            out.println(USAGE);
            return 2;
        }
        String node = null;
        Path keys = publicKeys;
        Path file = null;
        Path state = null;
        while (!args.isEmpty()) {
            String a = args.remove(0);
            if (args.isEmpty()) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            switch (a) {
                case "--node" -> node = args.remove(0);
                case "--keys" -> keys = Path.of(args.remove(0));
                case "--file" -> file = Path.of(args.remove(0));
                case "--state" -> state = Path.of(args.remove(0));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (node == null) {
            throw new IllegalArgumentException("--node is required\n" + USAGE);
        }
        try {
            Map<String, HybridPublicKeys> trusted = KeyStoreDirectory.readPublicKeys(keys);
            List<AuditCommand.Raw> values = new ArrayList<>();
            if (file == null) {
                AuditCommand reader = new AuditCommand(kafka, keys, out, out);
                values.addAll(reader.read(Topic.REMEDIATION_COMMANDS.topicName()));
            } else {
                values.addAll(readFile(file));
            }
            if (state == null) {
                return verify(
                        node, trusted, KeyRevocations.in(keys), ReplayMemory.inMemory(), values);
            }
            try (FileReplayMemory memory =
                    FileReplayMemory.open(state.resolve(node + ".accepted"), clock)) {
                return verify(node, trusted, KeyRevocations.in(keys), memory, values);
            }
        } catch (IOException | IllegalArgumentException e) {
            out.println("vigil agent: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Writes the commands on {@code remediation-commands} to {@code file} in the export format of
     * {@code vigil audit export} (topic, partition, offset, Base64 value), for an agent that reads
     * them offline ({@code verify --file}).
     */
    private int export(Path file) {
        try {
            List<AuditCommand.Raw> records =
                    new AuditCommand(kafka, publicKeys, out, out)
                            .read(Topic.REMEDIATION_COMMANDS.topicName());
            AuditCommand.write(records, file);
            out.printf("exported %,d commands to %s%n", records.size(), file);
            return 0;
        } catch (IOException e) {
            throw new LaunchException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The commands in {@code file}: an export ({@code agent export}, {@code audit export}; its
     * remediation-commands records) or one Base64 record a line. A file keeps no headers: the
     * commands' own signatures are checked.
     */
    static List<AuditCommand.Raw> readFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean export =
                lines.stream()
                        .anyMatch(l -> l.startsWith("# vigil audit export") || l.contains("\t"));
        if (export) {
            return AuditCommand.readExport(file).stream()
                    .filter(r -> r.topic().equals(Topic.REMEDIATION_COMMANDS.topicName()))
                    .toList();
        }
        List<AuditCommand.Raw> values = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                values.add(
                        new AuditCommand.Raw(
                                Topic.REMEDIATION_COMMANDS.topicName(),
                                -1,
                                -1,
                                Base64.getDecoder().decode(line.trim())));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        file
                                + " line "
                                + n
                                + " is neither an export line (topic, partition, offset, Base64"
                                + " value, tab-separated) nor one Base64 record",
                        e);
            }
        }
        return values;
    }

    int verify(
            String node,
            Map<String, HybridPublicKeys> trusted,
            KeyRevocations revocations,
            ReplayMemory memory,
            List<AuditCommand.Raw> values) {
        EdgeAgentVerifier agent = new EdgeAgentVerifier(node, trusted, revocations, memory, clock);
        AvroCodec<RemediationCommand> codec = AvroCodec.of(RemediationCommand.class);
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        int unreadable = 0;
        boolean forged = false;
        for (AuditCommand.Raw v : values) {
            RemediationCommand c;
            try {
                c = codec.decode(v.value());
            } catch (AvroDecodeException e) {
                unreadable++;
                continue;
            }
            if (!node.equals(c.getTargetNodeId())) {
                continue; // another node's agent deals with it
            }
            // the record signature over the bytes received, where the record has one
            Verdict verdict = agent.verify(v.topic(), v.value(), v.headers()::get, c);
            counts.merge(verdict, 1, Integer::sum);
            forged |=
                    verdict == Verdict.BAD_SIGNATURE
                            || verdict == Verdict.UNKNOWN_KEY
                            || verdict == Verdict.REVOKED_KEY;
            out.printf(
                    "%-13s %s %s (policy %s v%d, cause %s%s)%n",
                    verdict,
                    c.getCommandId(),
                    c.getAction(),
                    c.getPolicyId(),
                    c.getPolicyVersion(),
                    c.getCauseId(),
                    c.getRequiresApproval() ? ", needs approval" : "");
        }
        out.printf(
                "%s: %s%s%n",
                node,
                counts.isEmpty() ? "no commands" : counts,
                unreadable > 0 ? ", " + unreadable + " unreadable records" : "");
        return forged ? 1 : 0;
    }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.AuditChain;
import dev.vigil.audit.HybridSigner;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code vigil audit prove} over records as read, without a broker. */
class AuditCommandTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final List<AuditCommand.Raw> records = new ArrayList<>();
    private AuditCommand audit;

    @BeforeEach
    void trail() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(7);
        HybridSigner signer = HybridSigner.generate("key-0001", random);
        AuditChain chain = new AuditChain("alerts");
        AvroCodec<AuditEvent> events = AvroCodec.of(AuditEvent.class);
        for (int i = 0; i < 3; i++) {
            AuditEvent e =
                    chain.append(
                            "ALERT",
                            "alert-" + i,
                            "alerts",
                            ("alert " + i).getBytes(StandardCharsets.UTF_8),
                            1L,
                            AT.plusSeconds(i));
            records.add(new AuditCommand.Raw(Topic.AUDIT.topicName(), 0, i, events.encode(e)));
        }
        AuditCheckpoint head = chain.checkpoint(signer, AT.plusSeconds(10), null);
        records.add(
                new AuditCommand.Raw(
                        Topic.AUDIT_CHECKPOINTS.topicName(),
                        0,
                        0,
                        AvroCodec.of(AuditCheckpoint.class).encode(head)));
        audit =
                new AuditCommand(
                        KafkaClientSettings.plaintext("localhost:1"),
                        Path.of("unused"),
                        new PrintStream(text, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void anEntryUnderASignedHeadIsProved() {
        assertThat(audit.prove(records, "alerts", 1)).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8))
                .startsWith("chain alerts entry 1, hash ")
                .contains("inclusion proof verified");
    }

    @Test
    void anUnknownChainAndAMissingEntryAreNamed() {
        assertThat(audit.prove(records, "nope", 0)).isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .isEqualTo("unknown chain nope; the trail has chains alerts\n");
        text.reset();
        assertThat(audit.prove(records, "alerts", 3)).isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .isEqualTo("chain alerts has 3 entries (sequences 0..2): there is no entry 3\n");
        text.reset();
        assertThat(audit.prove(List.of(), "alerts", 0)).isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .isEqualTo("unknown chain alerts; the trail has no chains yet\n");
    }

    @Test
    void withTheStackDownItSaysSoInsteadOfATimeout() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> audit.read("audit"))
                .isInstanceOf(dev.vigil.local.process.LaunchException.class)
                .hasMessage(
                        "cannot reach Kafka at localhost:1 within 15 s to read audit: is the stack"
                                + " up? (./vigil status; ./vigil up)");
    }
}

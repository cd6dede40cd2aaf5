package dev.vigil.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyRevocations;
import dev.vigil.audit.RecordSignatures;
import dev.vigil.audit.TrustedAuthors.AuthorKey;
import dev.vigil.schema.Approval;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The author check of control records in {@link ControlRecordDecoder}. */
class ControlSignaturesTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private static final AvroCodec<RuleCommand> RULES = AvroCodec.of(RuleCommand.class);

    @TempDir Path trusted;
    private HybridSigner operator;
    private HybridSigner approver;
    private ControlRecordDecoder<RuleCommand> decoder;
    private final List<DeadLetter> rejected = new ArrayList<>();

    private static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }

    @BeforeEach
    void trustStore() throws Exception {
        operator = HybridSigner.generate("operator-0001", seeded(51));
        approver = HybridSigner.generate("approver-0001", seeded(52));
        Instant from = AT.minusSeconds(3600);
        Instant until = AT.plusSeconds(3600);
        new AuthorKey(operator.publicKeys(), "operator", Set.of("rules", "models"), from, until)
                .writeTo(trusted);
        new AuthorKey(approver.publicKeys(), "approver", Set.of("approvals"), from, until)
                .writeTo(trusted);
        decoder =
                new ControlRecordDecoder<>(
                                RuleCommand.class, new DeadLetterFactory("threat-detection"))
                        .withSignatures(ControlSignatures.rules(trusted.toString()));
    }

    private static RuleCommand disable() {
        return RuleCommand.newBuilder()
                .setCommandId("c-1")
                .setRuleId("auth.brute-force")
                .setAction("DISABLE")
                .setVersion(1)
                .setIssuedBy("whoever I say I am")
                .setIssuedAt(AT)
                .build();
    }

    private static ConsumerRecord<byte[], byte[]> record(
            byte[] value, HybridSigner signer, byte[] signedValue) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(RULES.fingerprint()));
        if (signer != null) {
            RecordSignatures.sign(signer, "rules", signedValue, headers::add);
        }
        return new ConsumerRecord<>(
                "rules",
                0,
                5,
                AT.toEpochMilli(),
                TimestampType.CREATE_TIME,
                0,
                value.length,
                "auth.brute-force".getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }

    @Test
    void aSignedCommandDecodesWithItsVerifiedSignerAsAuthor() {
        byte[] value = RULES.encode(disable());
        RuleCommand c = decoder.decode(record(value, operator, value), rejected::add);
        assertThat(rejected).isEmpty();
        assertThat(c.getIssuedBy()).isEqualTo("operator/operator-0001");
        assertThat(c.getAction()).isEqualTo("DISABLE");
    }

    @Test
    void unsignedForgedAndMisauthoredCommandsAreDeadLettersNamingWhy() throws Exception {
        byte[] value = RULES.encode(disable());
        RuleCommand other = disable();
        other.setAction("ENABLE");
        assertThat(decoder.decode(record(value, null, value), rejected::add)).isNull();
        assertThat(decoder.decode(record(value, approver, value), rejected::add)).isNull();
        assertThat(decoder.decode(record(value, operator, RULES.encode(other)), rejected::add))
                .isNull();
        KeyRevocations.revoke(
                trusted, new KeyRevocations.Revocation("operator-0001", AT, "key leaked"));
        assertThat(decoder.decode(record(value, operator, value), rejected::add)).isNull();
        assertThat(rejected)
                .extracting(DeadLetter::getReasonCode, DeadLetter::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "UNSIGNED",
                                "rules: the record carries no author signature (headers"
                                        + " vigil.sig.key, vigil.sig.ed25519, vigil.sig.mldsa)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "SIGNER_NOT_AUTHORIZED",
                                "rules: approver (key approver-0001) may sign approvals, not"
                                        + " rules"),
                        org.assertj.core.groups.Tuple.tuple(
                                "BAD_SIGNATURE",
                                "rules: the signature of key operator-0001 does not verify over"
                                        + " the bytes received"),
                        org.assertj.core.groups.Tuple.tuple(
                                "REVOKED_SIGNER",
                                "rules: signed with key operator-0001 of operator, revoked: key"
                                        + " leaked"));
        assertThat(rejected).extracting(DeadLetter::getSourceOffset).containsOnly(5L);
    }

    @Test
    void withoutATrustStoreTheAuthorFieldStaysAsWritten() {
        assertThat(ControlSignatures.approvals(null)).isNull();
        ControlRecordDecoder<RuleCommand> unchecked =
                new ControlRecordDecoder<>(
                                RuleCommand.class, new DeadLetterFactory("threat-detection"))
                        .withSignatures(ControlSignatures.rules(null));
        byte[] value = RULES.encode(disable());
        assertThat(unchecked.decode(record(value, null, value), rejected::add).getIssuedBy())
                .isEqualTo("whoever I say I am");
        assertThat(rejected).isEmpty();
    }

    @Test
    void anApprovalTakesTheApproversVerifiedName() {
        AvroCodec<Approval> codec = AvroCodec.of(Approval.class);
        byte[] value =
                codec.encode(
                        Approval.newBuilder()
                                .setCommandId("cmd-1")
                                .setApprover("the CEO")
                                .setDecision("APPROVED")
                                .setDecidedAt(AT)
                                .build());
        RecordHeaders headers = new RecordHeaders();
        RecordSignatures.sign(approver, "approvals", value, headers::add);
        ConsumerRecord<byte[], byte[]> r =
                new ConsumerRecord<>(
                        "approvals",
                        1,
                        9,
                        AT.toEpochMilli(),
                        TimestampType.LOG_APPEND_TIME,
                        0,
                        value.length,
                        null,
                        value,
                        headers,
                        Optional.empty());
        Approval a =
                new ControlRecordDecoder<>(Approval.class, new DeadLetterFactory("remediation"))
                        .withSignatures(ControlSignatures.approvals(trusted.toString()))
                        .decode(r, rejected::add);
        assertThat(rejected).isEmpty();
        assertThat(a.getApprover()).isEqualTo("approver/approver-0001");
    }
}

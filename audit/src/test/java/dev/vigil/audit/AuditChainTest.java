package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.avro.SchemaCatalog;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private static final byte[] PAYLOAD = "an approval".getBytes(StandardCharsets.UTF_8);

    /** SHA-256(prev ‖ sequence ‖ the entry with hash empty, written in release v1's schema). */
    private static byte[] v1Hash(AuditEvent e) throws Exception {
        Schema v1 = SchemaCatalog.released("v1", "AuditEvent").orElseThrow();
        GenericRecord r = new GenericData.Record(v1);
        r.put("chain_id", e.getChainId());
        r.put("sequence", e.getSequence());
        r.put("event_type", e.getEventType());
        r.put("subject_id", e.getSubjectId());
        r.put("source_topic", e.getSourceTopic());
        r.put("payload", e.getPayload());
        r.put("payload_fingerprint", e.getPayloadFingerprint());
        r.put("occurred_at", e.getOccurredAt().toEpochMilli());
        r.put("prev_hash", e.getPrevHash());
        r.put("hash", ByteBuffer.allocate(0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(r, enc);
        enc.flush();
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(e.getPrevHash().duplicate());
        d.update(ByteBuffer.allocate(8).putLong(e.getSequence()).array());
        d.update(out.toByteArray());
        return d.digest();
    }

    @Test
    void anEntryWithoutASignerHashesAsInReleaseOneSoOldTrailsStillVerify() throws Exception {
        AuditChain chain = new AuditChain("commands");
        AuditEvent first =
                chain.append("COMMAND_ISSUED", "cmd-1", "remediation-commands", PAYLOAD, 7L, AT);
        AuditEvent second =
                chain.append("COMMAND_APPROVED", "cmd-1", "approvals", PAYLOAD, 7L, AT, null);
        assertThat(first.getHash().array()).isEqualTo(v1Hash(first));
        assertThat(second.getHash().array()).isEqualTo(v1Hash(second));
        assertThat(AuditChain.hash(second)).isEqualTo(second.getHash().array());
    }

    @Test
    void theVerifiedSignerIsCoveredByTheHash() throws Exception {
        AuditEvent signed =
                new AuditChain("commands")
                        .append(
                                "COMMAND_APPROVED",
                                "cmd-1",
                                "approvals",
                                PAYLOAD,
                                7L,
                                AT,
                                "approver/approver-0001");
        assertThat(signed.getSignedBy()).isEqualTo("approver/approver-0001");
        assertThat(AuditChain.hash(signed)).isEqualTo(signed.getHash().array());
        assertThat(signed.getHash().array()).isNotEqualTo(v1Hash(signed));
        // a signer altered or removed afterwards no longer matches the entry's hash
        signed.setSignedBy("approver/approver-0002");
        assertThat(AuditChain.hash(signed)).isNotEqualTo(signed.getHash().array());
        signed.setSignedBy(null);
        assertThat(AuditChain.hash(signed)).isNotEqualTo(signed.getHash().array());
    }
}

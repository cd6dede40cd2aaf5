package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.RecordSignatures.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordSignaturesTest {

    private final byte[] value = "a command as written".getBytes(StandardCharsets.UTF_8);
    private HybridSigner signer;
    private Map<String, HybridPublicKeys> trusted;

    @BeforeEach
    void keys() throws Exception {
        signer = HybridSigner.generate("key-0001", HybridSigningTest.seeded(31));
        trusted = Map.of("key-0001", signer.publicKeys());
    }

    private Map<String, byte[]> signed(String topic, byte[] bytes) {
        Map<String, byte[]> headers = new HashMap<>();
        RecordSignatures.sign(signer, topic, bytes, headers::put);
        return headers;
    }

    private Outcome check(String topic, byte[] bytes, Map<String, byte[]> headers) {
        return RecordSignatures.verify(topic, bytes, headers::get, trusted, KeyRevocations.none());
    }

    @Test
    void theBytesAsWrittenVerifyOnTheirTopicOnly() {
        Map<String, byte[]> headers = signed("remediation-commands", value);
        assertThat(headers.keySet())
                .containsExactlyInAnyOrder(
                        RecordSignatures.KEY_ID, RecordSignatures.ED25519, RecordSignatures.ML_DSA);
        assertThat(check("remediation-commands", value, headers)).isEqualTo(Outcome.VALID);
        // the same record moved to another topic
        assertThat(check("approvals", value, headers)).isEqualTo(Outcome.BAD_SIGNATURE);
        byte[] changed = value.clone();
        changed[3] ^= 1;
        assertThat(check("remediation-commands", changed, headers))
                .isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void missingPartsUnknownAndRevokedKeysAreNamed(@TempDir Path keys) throws Exception {
        assertThat(check("t", value, Map.of())).isEqualTo(Outcome.UNSIGNED);
        Map<String, byte[]> noMlDsa = signed("t", value);
        noMlDsa.remove(RecordSignatures.ML_DSA);
        assertThat(check("t", value, noMlDsa)).isEqualTo(Outcome.BAD_SIGNATURE);
        Map<String, byte[]> otherKey = new HashMap<>();
        RecordSignatures.sign(
                HybridSigner.generate("key-0002", HybridSigningTest.seeded(32)),
                "t",
                value,
                otherKey::put);
        assertThat(check("t", value, otherKey)).isEqualTo(Outcome.UNKNOWN_KEY);
        // another key claiming key-0001's id
        Map<String, byte[]> impostor = new HashMap<>();
        RecordSignatures.sign(
                HybridSigner.generate("key-0001", HybridSigningTest.seeded(33)),
                "t",
                value,
                impostor::put);
        assertThat(check("t", value, impostor)).isEqualTo(Outcome.BAD_SIGNATURE);
        KeyRevocations.revoke(
                keys, new KeyRevocations.Revocation("key-0001", Instant.EPOCH, "retired"));
        assertThat(
                        RecordSignatures.verify(
                                "t",
                                value,
                                signed("t", value)::get,
                                trusted,
                                KeyRevocations.in(keys)))
                .isEqualTo(Outcome.REVOKED_KEY);
    }
}

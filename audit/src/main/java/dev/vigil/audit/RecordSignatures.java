package dev.vigil.audit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Signatures over a Kafka record's value bytes as written, carried in three record headers: the key
 * id ({@value #KEY_ID}) and the Ed25519 and ML-DSA-65 signatures ({@value #ED25519}, {@value
 * #ML_DSA}). A reader verifies the bytes it received before it decodes them, so readers of any
 * schema version agree on whether a record is genuine (a signature inside the record has to be
 * checked over a re-encoding, which only a reader with the writer's schema reproduces). The signed
 * message binds the topic: a record signed for one topic does not verify on another.
 */
public final class RecordSignatures {

    public static final String KEY_ID = "vigil.sig.key";
    public static final String ED25519 = "vigil.sig.ed25519";
    public static final String ML_DSA = "vigil.sig.mldsa";

    private static final byte[] DOMAIN = "vigil-record-v1".getBytes(StandardCharsets.UTF_8);

    /** What a check of a record's header signature found. */
    public enum Outcome {
        VALID,
        /** No signature headers at all. */
        UNSIGNED,
        UNKNOWN_KEY,
        REVOKED_KEY,
        /** Headers incomplete, or a signature that does not verify. */
        BAD_SIGNATURE
    }

    private RecordSignatures() {}

    /** The bytes both signatures cover: a domain tag, the topic and the value, 0-separated. */
    public static byte[] message(String topic, byte[] value) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] m = new byte[DOMAIN.length + 1 + t.length + 1 + value.length];
        System.arraycopy(DOMAIN, 0, m, 0, DOMAIN.length);
        System.arraycopy(t, 0, m, DOMAIN.length + 1, t.length);
        System.arraycopy(value, 0, m, DOMAIN.length + 1 + t.length + 1, value.length);
        return m;
    }

    /** Signs {@code value} for {@code topic} and adds the three headers with {@code header}. */
    public static void sign(
            HybridSigner signer, String topic, byte[] value, BiConsumer<String, byte[]> header) {
        HybridSignature s = signer.sign(message(topic, value));
        header.accept(KEY_ID, s.keyId().getBytes(StandardCharsets.UTF_8));
        header.accept(ED25519, s.ed25519());
        header.accept(ML_DSA, s.mlDsa());
    }

    /**
     * Checks the header signature of {@code value} as received from {@code topic}; {@code header}
     * gives a header's value by name, or null.
     */
    public static Outcome verify(
            String topic,
            byte[] value,
            Function<String, byte[]> header,
            Map<String, HybridPublicKeys> trusted,
            KeyRevocations revocations) {
        byte[] keyId = header.apply(KEY_ID);
        byte[] ed = header.apply(ED25519);
        byte[] ml = header.apply(ML_DSA);
        if (keyId == null && ed == null && ml == null) {
            return Outcome.UNSIGNED;
        }
        if (keyId == null || ed == null || ml == null) {
            return Outcome.BAD_SIGNATURE;
        }
        String id = new String(keyId, StandardCharsets.UTF_8);
        HybridPublicKeys key = trusted.get(id);
        if (key == null) {
            return Outcome.UNKNOWN_KEY;
        }
        if (revocations.isRevoked(id)) {
            return Outcome.REVOKED_KEY;
        }
        return key.verify(message(topic, value), new HybridSignature(id, ed, ml))
                ? Outcome.VALID
                : Outcome.BAD_SIGNATURE;
    }
}

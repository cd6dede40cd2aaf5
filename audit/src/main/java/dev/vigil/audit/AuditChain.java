package dev.vigil.audit;

import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One hash chain of audit entries and its Merkle tree: h_i = SHA-256(h_{i−1} ‖ seq_i ‖ canonical
 * Avro bytes of entry i with {@code hash} empty), h_{−1} = 32 zero bytes; the RFC 9162 tree's
 * leaves are the entries' hashes. Signed tree heads ({@link #checkpoint}) commit to every entry so
 * far and to the previous head.
 *
 * <p>State is small and restorable: the next sequence, the head hash, the compact tree and the
 * previous checkpoint ({@link #state}, {@link #restore}).
 */
public final class AuditChain {

    /** prev_hash of the first entry. */
    public static final byte[] GENESIS = new byte[32];

    private static final ThreadLocal<AvroCodec<AuditEvent>> EVENTS =
            ThreadLocal.withInitial(() -> AvroCodec.of(AuditEvent.class));
    private static final ThreadLocal<AvroCodec<AuditCheckpoint>> CHECKPOINTS =
            ThreadLocal.withInitial(() -> AvroCodec.of(AuditCheckpoint.class));

    private final String chainId;
    private long next;
    private byte[] head = GENESIS;
    private MerkleTree.Compact tree = new MerkleTree.Compact();
    private long checkpointSize;
    private byte[] checkpointRoot = new byte[0];

    public AuditChain(String chainId) {
        this.chainId = chainId;
    }

    public String chainId() {
        return chainId;
    }

    /** Entries so far. */
    public long size() {
        return next;
    }

    /** Appends an entry and returns it, hashed. */
    public AuditEvent append(
            String eventType,
            String subjectId,
            String sourceTopic,
            byte[] payload,
            long payloadFingerprint,
            Instant occurredAt) {
        return append(
                eventType, subjectId, sourceTopic, payload, payloadFingerprint, occurredAt, null);
    }

    /**
     * Appends an entry naming {@code signedBy}, the verified author of the audited record (null:
     * none), and returns it, hashed.
     */
    public AuditEvent append(
            String eventType,
            String subjectId,
            String sourceTopic,
            byte[] payload,
            long payloadFingerprint,
            Instant occurredAt,
            String signedBy) {
        AuditEvent e =
                AuditEvent.newBuilder()
                        .setChainId(chainId)
                        .setSequence(next)
                        .setEventType(eventType)
                        .setSubjectId(subjectId)
                        .setSourceTopic(sourceTopic)
                        .setPayload(ByteBuffer.wrap(payload))
                        .setPayloadFingerprint(payloadFingerprint)
                        .setOccurredAt(occurredAt)
                        .setPrevHash(ByteBuffer.wrap(head.clone()))
                        .setHash(ByteBuffer.allocate(0))
                        .setSignedBy(signedBy)
                        .build();
        byte[] h = hash(e);
        e.setHash(ByteBuffer.wrap(h));
        head = h;
        tree.append(h);
        next++;
        return e;
    }

    /**
     * The bytes of an entry without a signer in schema v1, the schema entries were hashed in before
     * {@code signed_by} existed: such entries hash as they always did, so trails written before
     * still verify.
     */
    private static byte[] encodeV1(AuditEvent e) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
            org.apache.avro.io.BinaryEncoder enc =
                    org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
            new org.apache.avro.specific.SpecificDatumWriter<AuditEvent>(
                            V1_EVENT_SCHEMA, e.getSpecificData())
                    .write(e, enc);
            enc.flush();
            return out.toByteArray();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static final org.apache.avro.Schema V1_EVENT_SCHEMA =
            dev.vigil.schema.avro.SchemaCatalog.released("v1", "AuditEvent").orElseThrow();

    /** The hash an entry must carry: over its prev_hash, sequence and bytes with hash empty. */
    public static byte[] hash(AuditEvent e) {
        ByteBuffer stored = e.getHash();
        e.setHash(ByteBuffer.allocate(0));
        byte[] canonical;
        try {
            canonical = e.getSignedBy() == null ? encodeV1(e) : EVENTS.get().encode(e);
        } finally {
            e.setHash(stored);
        }
        MessageDigest d = MerkleTree.sha256();
        d.update(bytes(e.getPrevHash()));
        d.update(ByteBuffer.allocate(8).putLong(e.getSequence()).array());
        d.update(canonical);
        return d.digest();
    }

    /**
     * A signed tree head over every entry so far, linked to the previous one; null when nothing was
     * appended since.
     */
    public AuditCheckpoint checkpoint(
            HybridSigner signer, Instant createdAt, Long flinkCheckpoint) {
        if (next == checkpointSize) {
            return null;
        }
        byte[] root = tree.root();
        AuditCheckpoint c =
                AuditCheckpoint.newBuilder()
                        .setChainId(chainId)
                        .setTreeSize(next)
                        .setRootHash(ByteBuffer.wrap(root))
                        .setPreviousTreeSize(checkpointSize)
                        .setPreviousRootHash(ByteBuffer.wrap(checkpointRoot))
                        .setCreatedAt(createdAt)
                        .setFlinkCheckpointId(flinkCheckpoint)
                        .setKeyId(signer.keyId())
                        .setSignatureEd25519(ByteBuffer.allocate(0))
                        .setSignatureMlDsa(ByteBuffer.allocate(0))
                        .build();
        HybridSignature s = signer.sign(signedBytes(c));
        c.setSignatureEd25519(ByteBuffer.wrap(s.ed25519()));
        c.setSignatureMlDsa(ByteBuffer.wrap(s.mlDsa()));
        checkpointSize = next;
        checkpointRoot = root;
        return c;
    }

    /** The bytes a tree head's signatures cover: the record with both signatures empty. */
    public static byte[] signedBytes(AuditCheckpoint c) {
        ByteBuffer ed = c.getSignatureEd25519();
        ByteBuffer ml = c.getSignatureMlDsa();
        c.setSignatureEd25519(ByteBuffer.allocate(0));
        c.setSignatureMlDsa(ByteBuffer.allocate(0));
        try {
            return CHECKPOINTS.get().encode(c);
        } finally {
            c.setSignatureEd25519(ed);
            c.setSignatureMlDsa(ml);
        }
    }

    /** The signature a tree head carries. */
    public static HybridSignature signature(AuditCheckpoint c) {
        return new HybridSignature(
                c.getKeyId(), bytes(c.getSignatureEd25519()), bytes(c.getSignatureMlDsa()));
    }

    /** The remaining bytes of a buffer (an Avro bytes field), without moving it. */
    public static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** The chain's state as byte arrays: next, head, checkpoint size and root, subtrees. */
    public List<byte[]> state() {
        List<byte[]> s = new ArrayList<>();
        s.add(ByteBuffer.allocate(16).putLong(next).putLong(checkpointSize).array());
        s.add(head);
        s.add(checkpointRoot);
        s.addAll(tree.subtrees());
        return s;
    }

    public static AuditChain restore(String chainId, List<byte[]> state) {
        AuditChain c = new AuditChain(chainId);
        ByteBuffer counts = ByteBuffer.wrap(state.get(0));
        c.next = counts.getLong();
        c.checkpointSize = counts.getLong();
        c.head = state.get(1);
        c.checkpointRoot = state.get(2);
        c.tree = MerkleTree.Compact.of(c.next, state.subList(3, state.size()));
        return c;
    }
}

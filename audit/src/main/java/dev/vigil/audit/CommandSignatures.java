package dev.vigil.audit;

import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.ByteBuffer;

/**
 * Signing of remediation commands: both signatures cover the command's plain Avro bytes with the
 * two signature fields empty (key id included, so a key cannot be swapped).
 */
public final class CommandSignatures {

    private static final ThreadLocal<AvroCodec<RemediationCommand>> CODEC =
            ThreadLocal.withInitial(() -> AvroCodec.of(RemediationCommand.class));

    private CommandSignatures() {}

    /** Sets the key id and both signatures of {@code command}; returns it. */
    public static RemediationCommand sign(RemediationCommand command, HybridSigner signer) {
        command.setKeyId(signer.keyId());
        HybridSignature s = signer.sign(signedBytes(command));
        command.setSignatureEd25519(ByteBuffer.wrap(s.ed25519()));
        command.setSignatureMlDsa(ByteBuffer.wrap(s.mlDsa()));
        return command;
    }

    /** The bytes the signatures cover. */
    public static byte[] signedBytes(RemediationCommand c) {
        ByteBuffer ed = c.getSignatureEd25519();
        ByteBuffer ml = c.getSignatureMlDsa();
        c.setSignatureEd25519(ByteBuffer.allocate(0));
        c.setSignatureMlDsa(ByteBuffer.allocate(0));
        try {
            return CODEC.get().encode(c);
        } finally {
            c.setSignatureEd25519(ed);
            c.setSignatureMlDsa(ml);
        }
    }

    /** The signature a command carries. */
    public static HybridSignature signature(RemediationCommand c) {
        return new HybridSignature(
                c.getKeyId(),
                AuditChain.bytes(c.getSignatureEd25519()),
                AuditChain.bytes(c.getSignatureMlDsa()));
    }
}

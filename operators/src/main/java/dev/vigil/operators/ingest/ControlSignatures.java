package dev.vigil.operators.ingest;

import dev.vigil.audit.TrustedAuthors;
import dev.vigil.operators.kafka.HeaderValues;
import dev.vigil.schema.Approval;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.RuleCommand;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The author check of one kind of control record ({@code rules}, {@code models}, {@code approvals})
 * for a {@link ControlRecordDecoder}: the record's header signature over the bytes received must
 * verify with a key of the trust store ({@link TrustedAuthors}) that may sign the kind and was
 * valid at the record's Kafka timestamp. The verified signer, {@code author/key-id}, replaces the
 * free-text author field of the decoded record ({@link SignerField}), so everything downstream
 * names who really signed.
 */
public final class ControlSignatures<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Writes the verified signer into a decoded record's author field. */
    @FunctionalInterface
    public interface SignerField<T> extends Serializable {
        void set(T record, String signer);
    }

    private final String trustedAuthors;
    private final String kind;
    private final SignerField<T> field;
    private transient TrustedAuthors trust;

    /**
     * @param trustedAuthors the trust store directory, readable where the job's tasks run
     * @param kind what the record is, as key files' {@code may-sign} name it
     * @param field the decoded record's author field
     */
    public ControlSignatures(String trustedAuthors, String kind, SignerField<T> field) {
        this.trustedAuthors = trustedAuthors;
        this.kind = kind;
        this.field = field;
    }

    /** Rule commands ({@code rules}); the signer goes into {@code issued_by}. Null for null. */
    public static ControlSignatures<RuleCommand> rules(String trustedAuthors) {
        return of(trustedAuthors, "rules", RuleCommand::setIssuedBy);
    }

    /** Model updates ({@code models}); the signer goes into {@code published_by}. */
    public static ControlSignatures<ModelUpdate> models(String trustedAuthors) {
        return of(trustedAuthors, "models", ModelUpdate::setPublishedBy);
    }

    /** Approvals and denials ({@code approvals}); the signer goes into {@code approver}. */
    public static ControlSignatures<Approval> approvals(String trustedAuthors) {
        return of(trustedAuthors, "approvals", Approval::setApprover);
    }

    private static <T> ControlSignatures<T> of(
            String trustedAuthors, String kind, SignerField<T> field) {
        return trustedAuthors == null ? null : new ControlSignatures<>(trustedAuthors, kind, field);
    }

    /** Opens the trust store now, so that a wrong path fails the job's start with its name. */
    public ControlSignatures<T> checked() throws IOException {
        TrustedAuthors.in(Path.of(trustedAuthors));
        return this;
    }

    /** The kind of record checked. */
    public String kind() {
        return kind;
    }

    /** Checks {@code record}'s author signature. */
    public TrustedAuthors.Verdict verify(ConsumerRecord<byte[], byte[]> record) {
        if (trust == null) {
            try {
                trust = TrustedAuthors.in(Path.of(trustedAuthors));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trust.verify(
                kind,
                record.topic(),
                record.value(),
                HeaderValues.of(record.headers()),
                Instant.ofEpochMilli(record.timestamp()));
    }

    void stamp(T record, TrustedAuthors.Verdict verdict) {
        field.set(record, verdict.signer());
    }

    /** The dead-letter reason of a verdict that is not valid. */
    static RejectReason reason(TrustedAuthors.Outcome outcome) {
        return switch (outcome) {
            case UNSIGNED -> RejectReason.UNSIGNED;
            case UNKNOWN_KEY -> RejectReason.UNKNOWN_SIGNER;
            case REVOKED_KEY -> RejectReason.REVOKED_SIGNER;
            case BAD_SIGNATURE -> RejectReason.BAD_SIGNATURE;
            case NOT_AUTHORIZED -> RejectReason.SIGNER_NOT_AUTHORIZED;
            case OUTSIDE_VALIDITY -> RejectReason.SIGNER_OUTSIDE_VALIDITY;
            case VALID -> throw new IllegalArgumentException("a valid signature is no rejection");
        };
    }
}

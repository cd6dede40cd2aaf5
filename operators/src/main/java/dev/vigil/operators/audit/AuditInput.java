package dev.vigil.operators.audit;

/**
 * A record to be audited, as read: which chain it goes to, what happened, what it is about, where
 * it was read, its event time and its bytes (plain Avro of its writer schema, unchanged). A Flink
 * POJO.
 */
public class AuditInput {
    public String chainId;
    public String eventType;
    public String subjectId;
    public String sourceTopic;
    public int partition;
    public long offset;
    public long occurredAt;
    public byte[] payload;
    public long payloadFingerprint;

    /** The verified author of the record ({@code author/key-id}), or null. */
    public String signedBy;

    public AuditInput() {}
}

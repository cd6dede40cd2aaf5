package dev.vigil.schema.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type as plain Avro binary (no framing, no magic byte), the value
 * format of every Vigil topic. Decoding is strict: the bytes must hold exactly one record, and a
 * writer-schema fingerprint, when given, must name a schema from the {@link SchemaCatalog}.
 *
 * <p>Not thread-safe: it reuses its encoder and decoder. Create one per operator instance.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final Class<T> type;
    private final Schema schema;
    private final long fingerprint;
    private final SpecificData model;
    private final SpecificDatumWriter<T> writer;
    private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    private AvroCodec(Class<T> type) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.fingerprint = SchemaFingerprint.of(schema);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.readers.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
    }

    /** A codec for generated record class {@code type}. */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    /** The current (reader and writer) schema. */
    public Schema schema() {
        return schema;
    }

    /** Fingerprint of {@link #schema()}, written to the {@link VigilHeaders} of every record. */
    public long fingerprint() {
        return fingerprint;
    }

    /** Plain Avro binary of {@code record} in the current schema. */
    public byte[] encode(T record) {
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory Avro encoding failed", e);
        }
        return buffer.toByteArray();
    }

    /** Decodes bytes written with the current schema. */
    public T decode(byte[] bytes) throws AvroDecodeException {
        return decode(bytes, OptionalLong.empty());
    }

    /**
     * Decodes bytes written with the schema whose fingerprint is given (the current schema when
     * empty), resolving them to the current schema.
     */
    public T decode(byte[] bytes, OptionalLong writerFingerprint) throws AvroDecodeException {
        if (bytes == null) {
            throw new AvroDecodeException(DecodeFailure.TRUNCATED, "the value is null");
        }
        long writerId = writerFingerprint.orElse(fingerprint);
        SpecificDatumReader<T> reader = readers.get(writerId);
        if (reader == null) {
            Schema writerSchema =
                    SchemaCatalog.get()
                            .writerSchema(schema.getFullName(), writerId)
                            .orElseThrow(
                                    () ->
                                            new AvroDecodeException(
                                                    DecodeFailure.UNKNOWN_SCHEMA,
                                                    "writer schema fingerprint "
                                                            + SchemaFingerprint.toHex(writerId)
                                                            + " is not a known version of "
                                                            + schema.getFullName()));
            reader = new SpecificDatumReader<>(writerSchema, schema, model);
            readers.put(writerId, reader);
        }
        AvroBinaryGuard.check(reader.getSchema(), bytes);
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            // The guard has accepted the structure; what is left is content Avro rejects,
            // such as a string that is not UTF-8 where a conversion needs it.
            throw new AvroDecodeException(
                    DecodeFailure.NOT_AVRO,
                    "cannot decode " + type.getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }
}

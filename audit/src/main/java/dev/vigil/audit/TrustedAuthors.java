package dev.vigil.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The keys of the people and tools that may author control records (rule commands, model updates,
 * approvals): a directory with one {@code <key-id>.author} file per key and the {@value
 * KeyRevocations#FILE} file of {@link KeyRevocations}. Each key names its author, the kinds of
 * record it may sign and the time span it is valid in. A record is trusted when its header
 * signature ({@link RecordSignatures}) verifies with a known, unrevoked key that may sign its kind
 * and was valid at the record's time.
 *
 * <p>The directory is read again whenever a file is added or removed and the revocations whenever
 * they change, so a running job picks up a new author or a revocation without a restart.
 */
public final class TrustedAuthors {

    /** File name suffix of an author's key. */
    public static final String SUFFIX = ".author";

    /** What a check of a control record found. */
    public enum Outcome {
        VALID,
        /** No signature headers. */
        UNSIGNED,
        /** Signed with a key the trust store does not have. */
        UNKNOWN_KEY,
        REVOKED_KEY,
        /** Headers incomplete or a signature that does not verify over the bytes received. */
        BAD_SIGNATURE,
        /** A genuine signature of an author who may not sign this kind of record. */
        NOT_AUTHORIZED,
        /** The record's time lies outside the key's validity. */
        OUTSIDE_VALIDITY
    }

    /**
     * The result of a check: the outcome, and for a known key its id and author; {@code detail} is
     * one sentence for a dead letter.
     */
    public record Verdict(Outcome outcome, String keyId, String author, String detail) {

        public boolean valid() {
            return outcome == Outcome.VALID;
        }

        /** {@code author/key-id}, what jobs and audit entries name as the verified signer. */
        public String signer() {
            return author + "/" + keyId;
        }
    }

    /**
     * One author's public key with what it may sign: record kinds such as {@code rules}, {@code
     * models}, {@code approvals}; valid from {@code validFrom} (inclusive) to {@code validUntil}
     * (exclusive).
     */
    public record AuthorKey(
            HybridPublicKeys keys,
            String author,
            Set<String> kinds,
            Instant validFrom,
            Instant validUntil) {

        public AuthorKey {
            if (author.isBlank() || author.contains("/") || author.contains("\n")) {
                throw new IllegalArgumentException("an author is one word without '/'");
            }
            if (!validFrom.isBefore(validUntil)) {
                throw new IllegalArgumentException(
                        "key " + keys.keyId() + ": valid-from must lie before valid-until");
            }
            kinds = Set.copyOf(new TreeSet<>(kinds));
        }

        public String keyId() {
            return keys.keyId();
        }

        /** Writes the key file {@code <key-id>.author} into {@code dir}. */
        public Path writeTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".", ".tmp");
            keys.write(tmp);
            Files.writeString(
                    tmp,
                    "author="
                            + author
                            + "\nmay-sign="
                            + String.join(",", new TreeSet<>(kinds))
                            + "\nvalid-from="
                            + validFrom
                            + "\nvalid-until="
                            + validUntil
                            + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            Path file = dir.resolve(keyId() + SUFFIX);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        }

        /** Reads a key file; the message names the file and the missing or malformed line. */
        public static AuthorKey read(Path file) throws IOException {
            HybridPublicKeys keys = HybridPublicKeys.read(file);
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            for (String k : new String[] {"author", "may-sign", "valid-from", "valid-until"}) {
                if (!values.containsKey(k)) {
                    throw new IOException(file + ": no '" + k + "=' line");
                }
            }
            try {
                return new AuthorKey(
                        keys,
                        values.get("author"),
                        Set.copyOf(Arrays.asList(values.get("may-sign").split(","))),
                        Instant.parse(values.get("valid-from")),
                        Instant.parse(values.get("valid-until")));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    private final Path dir;
    private final KeyRevocations revocations;
    private String seen;
    private Snapshot current = new Snapshot(Map.of(), Map.of());

    /** The keys as read once, and their public halves for {@link RecordSignatures#verify}. */
    private record Snapshot(
            Map<String, AuthorKey> keys, Map<String, HybridPublicKeys> publicKeys) {}

    private TrustedAuthors(Path dir) {
        this.dir = dir;
        this.revocations = KeyRevocations.in(dir);
    }

    /**
     * The trust store in {@code dir}.
     *
     * @throws IOException when {@code dir} is not a directory or a key file is unreadable, so that
     *     a job fails at its start rather than dead-letter every control record
     */
    public static TrustedAuthors in(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory of trusted author keys");
        }
        TrustedAuthors store = new TrustedAuthors(dir);
        try {
            store.snapshot();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return store;
    }

    /** Every trusted key, by key id, as the directory holds now. */
    public Map<String, AuthorKey> all() {
        return snapshot().keys();
    }

    private synchronized Snapshot snapshot() {
        try {
            String modified = Files.getLastModifiedTime(dir).toString();
            if (!modified.equals(seen)) {
                Map<String, AuthorKey> read = new TreeMap<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f :
                            files.filter(p -> p.toString().endsWith(SUFFIX)).sorted().toList()) {
                        AuthorKey k = AuthorKey.read(f);
                        read.put(k.keyId(), k);
                    }
                }
                Map<String, HybridPublicKeys> pub = new TreeMap<>();
                read.forEach((id, k) -> pub.put(id, k.keys()));
                current = new Snapshot(Map.copyOf(read), Map.copyOf(pub));
                seen = modified;
            }
        } catch (NoSuchFileException e) {
            current = new Snapshot(Map.of(), Map.of());
            seen = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted author keys in " + dir, e);
        }
        return current;
    }

    /** The revocations of this store's keys. */
    public KeyRevocations revocations() {
        return revocations;
    }

    /**
     * Checks a control record of {@code kind} as received from {@code topic}: its header signature
     * over {@code value}, then whether the key may sign {@code kind} at {@code recordTime}.
     */
    public Verdict verify(
            String kind,
            String topic,
            byte[] value,
            Function<String, byte[]> header,
            Instant recordTime) {
        Snapshot now = snapshot();
        Map<String, AuthorKey> known = now.keys();
        RecordSignatures.Outcome o =
                RecordSignatures.verify(topic, value, header, now.publicKeys(), revocations);
        byte[] rawId = header.apply(RecordSignatures.KEY_ID);
        String keyId = rawId == null ? null : new String(rawId, StandardCharsets.UTF_8);
        AuthorKey key = keyId == null ? null : known.get(keyId);
        String author = key == null ? null : key.author();
        return switch (o) {
            case UNSIGNED ->
                    new Verdict(
                            Outcome.UNSIGNED,
                            null,
                            null,
                            "the record carries no author signature (headers "
                                    + RecordSignatures.KEY_ID
                                    + ", "
                                    + RecordSignatures.ED25519
                                    + ", "
                                    + RecordSignatures.ML_DSA
                                    + ")");
            case UNKNOWN_KEY ->
                    new Verdict(
                            Outcome.UNKNOWN_KEY,
                            keyId,
                            null,
                            "signed with key " + keyId + ", which is not a trusted author key");
            case REVOKED_KEY ->
                    new Verdict(
                            Outcome.REVOKED_KEY,
                            keyId,
                            author,
                            "signed with key "
                                    + keyId
                                    + " of "
                                    + author
                                    + ", revoked: "
                                    + revocations.all().get(keyId).reason());
            case BAD_SIGNATURE ->
                    new Verdict(
                            Outcome.BAD_SIGNATURE,
                            keyId,
                            author,
                            keyId == null
                                    ? "the signature headers are incomplete"
                                    : "the signature of key "
                                            + keyId
                                            + " does not verify over the bytes received");
            case VALID -> authorized(key, kind, recordTime);
        };
    }

    private static Verdict authorized(AuthorKey key, String kind, Instant at) {
        if (!key.kinds().contains(kind)) {
            return new Verdict(
                    Outcome.NOT_AUTHORIZED,
                    key.keyId(),
                    key.author(),
                    key.author()
                            + " (key "
                            + key.keyId()
                            + ") may sign "
                            + String.join(", ", new TreeSet<>(key.kinds()))
                            + ", not "
                            + kind);
        }
        if (at.isBefore(key.validFrom()) || !at.isBefore(key.validUntil())) {
            return new Verdict(
                    Outcome.OUTSIDE_VALIDITY,
                    key.keyId(),
                    key.author(),
                    "key "
                            + key.keyId()
                            + " is valid from "
                            + key.validFrom()
                            + " until "
                            + key.validUntil()
                            + ", the record is of "
                            + at);
        }
        return new Verdict(Outcome.VALID, key.keyId(), key.author(), null);
    }
}

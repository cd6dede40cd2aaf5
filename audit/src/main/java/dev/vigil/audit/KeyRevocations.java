package dev.vigil.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signing keys that are no longer trusted: the file {@value #FILE} beside the public keys, one line
 * per key, {@code <key-id> <revoked-at ISO-8601> <reason>}. A verifier refuses every record signed
 * with a revoked key from the moment it sees the line: the file is read again whenever it changes,
 * so a running agent needs no restart.
 */
public final class KeyRevocations {

    /** The file name in a public-key directory. */
    public static final String FILE = "revoked";

    /** One revocation. */
    public record Revocation(String keyId, Instant revokedAt, String reason) {}

    private final Path file;
    private String seen;
    private Map<String, Revocation> revoked = Map.of();

    private KeyRevocations(Path file) {
        this.file = file;
    }

    /** The revocations of the public keys in {@code publicKeys}. */
    public static KeyRevocations in(Path publicKeys) {
        return new KeyRevocations(publicKeys.resolve(FILE));
    }

    /** No revocations at all (tests, verifiers without a key directory). */
    public static KeyRevocations none() {
        return new KeyRevocations(null);
    }

    /** Whether {@code keyId} is revoked, as the file says now. */
    public synchronized boolean isRevoked(String keyId) {
        return all().containsKey(keyId);
    }

    /** Every revocation, by key id, as the file says now. */
    public synchronized Map<String, Revocation> all() {
        if (file == null) {
            return revoked;
        }
        try {
            // modification time and size: two writes within one clock tick still differ in size
            String modified = Files.getLastModifiedTime(file) + "/" + Files.size(file);
            if (!modified.equals(seen)) {
                revoked = parse(file);
                seen = modified;
            }
        } catch (NoSuchFileException e) {
            revoked = Map.of();
            seen = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key revocations " + file, e);
        }
        return revoked;
    }

    /** Appends a revocation to {@code publicKeys}/{@value #FILE}. */
    public static void revoke(Path publicKeys, Revocation r) throws IOException {
        if (r.keyId().isBlank() || r.keyId().contains(" ") || r.reason().contains("\n")) {
            throw new IllegalArgumentException("a key id is one word and a reason one line");
        }
        Files.writeString(
                publicKeys.resolve(FILE),
                r.keyId() + " " + r.revokedAt() + " " + r.reason() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Map<String, Revocation> parse(Path file) throws IOException {
        Map<String, Revocation> out = new TreeMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.strip().split(" ", 3);
            try {
                Instant at = Instant.parse(parts[1]);
                out.putIfAbsent(
                        parts[0], new Revocation(parts[0], at, parts.length > 2 ? parts[2] : ""));
            } catch (ArrayIndexOutOfBoundsException | DateTimeParseException e) {
                throw new IOException(
                        file + " line " + n + " is not '<key-id> <revoked-at> <reason>'");
            }
        }
        return Map.copyOf(out);
    }
}

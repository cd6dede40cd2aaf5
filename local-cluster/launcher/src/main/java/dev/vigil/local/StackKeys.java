package dev.vigil.local;

import dev.vigil.audit.HybridPublicKeys;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.audit.TrustedAuthors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local stack's signing keys: a key store in {@code <data>/keys}, created on first {@code up}.
 * Its password comes from {@value KeyStoreDirectory#PASSWORD_ENV}; without it, a random one is
 * generated once into {@code <data>/keystore.password} (owner read/write only). The password is
 * handed to the TaskManager's environment and never printed.
 */
public final class StackKeys {

    private final Path dataDir;

    public StackKeys(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The key store directory. */
    public Path dir() {
        return dataDir.resolve("keys");
    }

    /** Public keys for verifiers and edge agents. */
    public Path publicKeys() {
        return dir().resolve("public");
    }

    /** The file of the generated password, in the data directory. */
    public static final String PASSWORD_FILE = "keystore.password";

    /**
     * The file that holds the password, created when missing; empty when the password comes from
     * {@value KeyStoreDirectory#PASSWORD_ENV}.
     */
    public java.util.Optional<Path> passwordFile() throws IOException {
        if (System.getenv(KeyStoreDirectory.PASSWORD_ENV) != null
                && !System.getenv(KeyStoreDirectory.PASSWORD_ENV).isEmpty()) {
            return java.util.Optional.empty();
        }
        password();
        return java.util.Optional.of(dataDir.resolve(PASSWORD_FILE));
    }

    /** The password: from the environment, else the data directory's generated one. */
    public String password() throws IOException {
        String env = System.getenv(KeyStoreDirectory.PASSWORD_ENV);
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.createDirectories(dataDir);
            Files.writeString(
                    file, Base64.getEncoder().encodeToString(random), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the data directory's own permissions apply
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    /** Opens the key store, creating it with a first key pair when there is none. */
    public KeyStoreDirectory open() throws IOException {
        return KeyStoreDirectory.openOrCreate(dir(), password().toCharArray(), new SecureRandom());
    }

    /** The author name of {@code vigil rules} and {@code vigil models}. */
    public static final String OPERATOR = "operator";

    /** The author name of {@code vigil approve} and {@code vigil deny}. */
    public static final String APPROVER = "approver";

    /**
     * The authors of control records and what each may sign: the operator rules and models, the
     * approver approvals.
     */
    public static final Map<String, Set<String>> AUTHORS =
            Map.of(OPERATOR, Set.of("rules", "models"), APPROVER, Set.of("approvals"));

    /** How long an author key created by {@link #openAuthors} is trusted. */
    public static final Duration AUTHOR_KEY_VALIDITY = Duration.ofDays(365);

    /** The trust store of authors' public keys that the jobs verify control records with. */
    public Path trustedAuthors() {
        return dir().resolve("trusted-authors");
    }

    /** {@code author}'s own key store (private keys under the stack's password). */
    public KeyStoreDirectory author(String author) throws IOException {
        if (!AUTHORS.containsKey(author)) {
            throw new IllegalArgumentException("unknown author " + author);
        }
        return KeyStoreDirectory.openOrCreate(
                dir().resolve("authors").resolve(author),
                password().toCharArray(),
                new SecureRandom(),
                author);
    }

    /**
     * Creates the authors' key stores when missing and trusts each of their keys not yet in {@link
     * #trustedAuthors()} (valid from a minute ago, for clock skew, for {@link
     * #AUTHOR_KEY_VALIDITY}); returns the trust store.
     */
    public Path openAuthors(Instant now) throws IOException {
        Path trusted = trustedAuthors();
        Files.createDirectories(trusted);
        for (Map.Entry<String, Set<String>> a : new TreeMap<>(AUTHORS).entrySet()) {
            for (HybridPublicKeys k : author(a.getKey()).publicKeys().values()) {
                if (!Files.exists(trusted.resolve(k.keyId() + TrustedAuthors.SUFFIX))) {
                    new TrustedAuthors.AuthorKey(
                                    k,
                                    a.getKey(),
                                    a.getValue(),
                                    now.minus(Duration.ofMinutes(1)),
                                    now.plus(AUTHOR_KEY_VALIDITY))
                            .writeTo(trusted);
                }
            }
        }
        return trusted;
    }
}

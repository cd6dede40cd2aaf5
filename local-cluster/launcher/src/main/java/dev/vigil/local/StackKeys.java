package dev.vigil.local;

import dev.vigil.audit.KeyStoreDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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

    /** The password: from the environment, else the data directory's generated one. */
    public String password() throws IOException {
        String env = System.getenv(KeyStoreDirectory.PASSWORD_ENV);
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Path file = dataDir.resolve("keystore.password");
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
}

package dev.vigil.operators.audit;

import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyStoreDirectory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Where an operator gets its signing key when it opens. */
@FunctionalInterface
public interface SignerSource extends Serializable {

    HybridSigner open() throws IOException;

    /**
     * The current key of the key store in {@code dir}, opened with the password in {@value
     * KeyStoreDirectory#PASSWORD_ENV}; fails with a message naming what is missing.
     */
    static SignerSource keyStore(String dir) {
        return keyStore(dir, null);
    }

    /**
     * The current key of the key store in {@code dir}, opened with the password held in {@code
     * passwordFile} (a mounted secret; trailing line breaks ignored) or, when that is {@code null},
     * in {@value KeyStoreDirectory#PASSWORD_ENV}; fails with a message naming what is missing.
     */
    static SignerSource keyStore(String dir, String passwordFile) {
        return () -> {
            String password;
            if (passwordFile != null) {
                Path file = Path.of(passwordFile);
                if (!Files.isReadable(file)) {
                    throw new IOException(
                            "the key store password file "
                                    + passwordFile
                                    + " cannot be read on this TaskManager");
                }
                password = Files.readString(file, StandardCharsets.UTF_8).strip();
            } else {
                password = System.getenv(KeyStoreDirectory.PASSWORD_ENV);
            }
            if (password == null || password.isEmpty()) {
                throw new IOException(
                        passwordFile != null
                                ? "the key store password file " + passwordFile + " is empty"
                                : "no key store password: set "
                                        + KeyStoreDirectory.PASSWORD_ENV
                                        + " in the TaskManagers' environment, or pass"
                                        + " --keystore.password-file");
            }
            if (!Files.exists(Path.of(dir, "current"))) {
                throw new IOException(
                        "no key store in "
                                + dir
                                + " (create one with ./vigil up or ./vigil deploy, or point"
                                + " --audit.keystore at it)");
            }
            return KeyStoreDirectory.openOrCreate(
                            Path.of(dir), password.toCharArray(), new SecureRandom())
                    .signer();
        };
    }
}

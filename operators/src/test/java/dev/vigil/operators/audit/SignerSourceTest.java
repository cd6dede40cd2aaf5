package dev.vigil.operators.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.audit.KeyStoreDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerSourceTest {

    @TempDir Path dir;

    @Test
    void aMountedPasswordFileOpensTheKeyStore() throws IOException {
        Path keys = dir.resolve("keys");
        String id =
                KeyStoreDirectory.openOrCreate(
                                keys, "correct horse".toCharArray(), new SecureRandom())
                        .signer()
                        .keyId();
        Path secret = Files.writeString(dir.resolve("password"), "correct horse\n");

        assertThat(SignerSource.keyStore(keys.toString(), secret.toString()).open().keyId())
                .isEqualTo(id);
    }

    @Test
    void aMissingOrWrongPasswordFileIsNamed() throws IOException {
        Path keys = dir.resolve("keys");
        KeyStoreDirectory.openOrCreate(keys, "correct horse".toCharArray(), new SecureRandom());
        Path wrong = Files.writeString(dir.resolve("wrong"), "battery staple");

        assertThatThrownBy(
                        () ->
                                SignerSource.keyStore(
                                                keys.toString(), dir.resolve("absent").toString())
                                        .open())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("password file " + dir.resolve("absent"));
        assertThatThrownBy(() -> SignerSource.keyStore(keys.toString(), wrong.toString()).open())
                .isInstanceOf(IOException.class);
    }
}

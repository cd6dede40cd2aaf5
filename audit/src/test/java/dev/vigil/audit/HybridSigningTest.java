package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridSigningTest {

    static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }

    @Test
    void bothSignaturesVerifyAndAreDeterministic() throws Exception {
        HybridSigner signer = HybridSigner.generate("key-0001", seeded(1));
        byte[] message = "isolate node-00007".getBytes(StandardCharsets.UTF_8);
        HybridSignature s = signer.sign(message);
        assertThat(s.ed25519()).hasSize(64);
        // FIPS 204: ML-DSA-65 signatures are 3,309 bytes
        assertThat(s.mlDsa()).hasSize(3_309);
        assertThat(signer.publicKeys().verify(message, s)).isTrue();
        HybridSignature again = signer.sign(message);
        assertThat(again.ed25519()).isEqualTo(s.ed25519());
        assertThat(again.mlDsa()).isEqualTo(s.mlDsa());
    }

    @Test
    void eitherSignatureAloneIsNotEnough() throws Exception {
        HybridSigner signer = HybridSigner.generate("key-0001", seeded(2));
        HybridSigner other = HybridSigner.generate("key-0001", seeded(3));
        byte[] message = "restart service".getBytes(StandardCharsets.UTF_8);
        HybridSignature good = signer.sign(message);
        HybridSignature forged = other.sign(message);
        HybridPublicKeys keys = signer.publicKeys();
        assertThat(
                        keys.verify(
                                message,
                                new HybridSignature("key-0001", good.ed25519(), forged.mlDsa())))
                .isFalse();
        assertThat(
                        keys.verify(
                                message,
                                new HybridSignature("key-0001", forged.ed25519(), good.mlDsa())))
                .isFalse();
        byte[] altered = "restart servicE".getBytes(StandardCharsets.UTF_8);
        assertThat(keys.verify(altered, good)).isFalse();
        assertThat(
                        keys.verify(
                                message,
                                new HybridSignature("key-0002", good.ed25519(), good.mlDsa())))
                .isFalse();
    }

    @Test
    void theKeyStoreEncryptsRotatesAndKeepsOldPublicKeys(@TempDir Path dir) throws Exception {
        char[] password = "correct horse battery".toCharArray();
        KeyStoreDirectory store = KeyStoreDirectory.openOrCreate(dir, password, seeded(4));
        HybridSigner first = store.signer();
        assertThat(first.keyId()).isEqualTo("key-0001");
        byte[] message = {1, 2, 3};
        HybridSignature old = first.sign(message);

        // reopened: the same key; the file holds neither the password nor the raw key
        HybridSigner reopened = KeyStoreDirectory.openOrCreate(dir, password, seeded(5)).signer();
        assertThat(reopened.sign(message).ed25519()).isEqualTo(old.ed25519());
        byte[] file = Files.readAllBytes(dir.resolve("private/key-0001.key"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("correct horse");
        assertThat(indexOf(file, first.ed25519Private())).isEqualTo(-1);

        HybridSigner second = store.rotate(seeded(6));
        assertThat(second.keyId()).isEqualTo("key-0002");
        assertThat(store.signer().keyId()).isEqualTo("key-0002");
        Map<String, HybridPublicKeys> keys =
                KeyStoreDirectory.readPublicKeys(dir.resolve("public"));
        assertThat(keys).containsOnlyKeys("key-0001", "key-0002");
        assertThat(keys.get("key-0001").verify(message, old)).isTrue();

        assertThatThrownBy(
                        () ->
                                KeyStoreDirectory.openOrCreate(
                                        dir, "wrong password".toCharArray(), seeded(7)))
                .hasMessageContaining("wrong key store password");
        assertThatThrownBy(
                        () -> KeyStoreDirectory.openOrCreate(dir, "short".toCharArray(), seeded(7)))
                .hasMessageContaining("at least 8 characters")
                .hasMessageContaining(KeyStoreDirectory.PASSWORD_ENV);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

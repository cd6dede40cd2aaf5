package dev.vigil.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * The public half of a hybrid key pair: what edge agents and auditors hold. Exported as a small
 * text file ({@link #write}) with the key id and both public keys in Base64.
 */
public final class HybridPublicKeys {

    private final String keyId;
    private final byte[] ed25519;
    private final byte[] mlDsa;

    public HybridPublicKeys(String keyId, byte[] ed25519, byte[] mlDsa) {
        if (ed25519.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException(
                    "key " + keyId + ": an Ed25519 public key has 32 bytes, not " + ed25519.length);
        }
        this.keyId = keyId;
        this.ed25519 = ed25519.clone();
        this.mlDsa = mlDsa.clone();
        // fails early on a malformed ML-DSA key
        new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, this.mlDsa);
    }

    public String keyId() {
        return keyId;
    }

    /** True when both signatures verify over {@code message} with these keys. */
    public boolean verify(byte[] message, HybridSignature signature) {
        if (!keyId.equals(signature.keyId())
                || signature.ed25519() == null
                || signature.mlDsa() == null) {
            return false;
        }
        Ed25519Signer ed = new Ed25519Signer();
        ed.init(false, new Ed25519PublicKeyParameters(ed25519, 0));
        ed.update(message, 0, message.length);
        if (!ed.verifySignature(signature.ed25519())) {
            return false;
        }
        MLDSASigner ml = new MLDSASigner();
        ml.init(false, new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, mlDsa));
        ml.update(message, 0, message.length);
        return ml.verifySignature(signature.mlDsa());
    }

    /** Writes the keys as {@code key-id=…}, {@code ed25519=…}, {@code ml-dsa-65=…} lines. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Base64.Encoder b64 = Base64.getEncoder();
        Files.writeString(
                file,
                "key-id="
                        + keyId
                        + "\ned25519="
                        + b64.encodeToString(ed25519)
                        + "\nml-dsa-65="
                        + b64.encodeToString(mlDsa)
                        + "\n",
                StandardCharsets.UTF_8);
    }

    /** Reads a file written by {@link #write}; says which line is missing or malformed. */
    public static HybridPublicKeys read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        for (String k : new String[] {"key-id", "ed25519", "ml-dsa-65"}) {
            if (!values.containsKey(k)) {
                throw new IOException(file + ": no '" + k + "=' line");
            }
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new HybridPublicKeys(
                    values.get("key-id"),
                    b64.decode(values.get("ed25519")),
                    b64.decode(values.get("ml-dsa-65")));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}

package dev.vigil.audit;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.MLDSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.MLDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * A hybrid key pair that signs: Ed25519 and ML-DSA-65 over the same bytes (Bouncy Castle's
 * lightweight API). Both signatures are deterministic — Ed25519 by design, ML-DSA in FIPS 204's
 * deterministic variant — so re-signing the same bytes on a replay gives the same record.
 */
public final class HybridSigner {

    private final String keyId;
    private final Ed25519PrivateKeyParameters ed25519;
    private final MLDSAPrivateKeyParameters mlDsa;

    HybridSigner(String keyId, byte[] ed25519Private, byte[] mlDsaPrivate) {
        this.keyId = keyId;
        this.ed25519 = new Ed25519PrivateKeyParameters(ed25519Private, 0);
        this.mlDsa = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, mlDsaPrivate);
    }

    /** A new key pair with id {@code keyId}. */
    public static HybridSigner generate(String keyId, SecureRandom random) {
        Ed25519KeyPairGenerator ed = new Ed25519KeyPairGenerator();
        ed.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair edPair = ed.generateKeyPair();
        MLDSAKeyPairGenerator ml = new MLDSAKeyPairGenerator();
        ml.init(new MLDSAKeyGenerationParameters(random, MLDSAParameters.ml_dsa_65));
        AsymmetricCipherKeyPair mlPair = ml.generateKeyPair();
        return new HybridSigner(
                keyId,
                ((Ed25519PrivateKeyParameters) edPair.getPrivate()).getEncoded(),
                ((MLDSAPrivateKeyParameters) mlPair.getPrivate()).getEncoded());
    }

    public String keyId() {
        return keyId;
    }

    /** Both signatures over {@code message}. */
    public HybridSignature sign(byte[] message) {
        Ed25519Signer ed = new Ed25519Signer();
        ed.init(true, ed25519);
        ed.update(message, 0, message.length);
        byte[] edSignature = ed.generateSignature();
        MLDSASigner ml = new MLDSASigner();
        ml.init(true, mlDsa); // no randomness: the deterministic variant
        ml.update(message, 0, message.length);
        try {
            return new HybridSignature(keyId, edSignature, ml.generateSignature());
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new IllegalStateException("ML-DSA-65 signing failed for key " + keyId, e);
        }
    }

    /** The public keys that verify this signer's signatures. */
    public HybridPublicKeys publicKeys() {
        Ed25519PublicKeyParameters edPublic = ed25519.generatePublicKey();
        MLDSAPublicKeyParameters mlPublic = mlDsa.getPublicKeyParameters();
        return new HybridPublicKeys(keyId, edPublic.getEncoded(), mlPublic.getEncoded());
    }

    byte[] ed25519Private() {
        return ed25519.getEncoded();
    }

    byte[] mlDsaPrivate() {
        return mlDsa.getEncoded();
    }
}

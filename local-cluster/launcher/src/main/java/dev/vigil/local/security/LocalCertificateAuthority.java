package dev.vigil.local.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local stack's own certificate authority: an EC P-256 root that signs the broker's TLS
 * certificate. Clients trust the root through a PKCS#12 trust store; nothing leaves the machine.
 * The root key lives in a PKCS#12 file readable by the owner only, beside the other secrets.
 */
public final class LocalCertificateAuthority {

    /** Alias of the root in the CA store and in the trust store. */
    public static final String CA_ALIAS = "vigil-local-ca";

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(825);

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final SecureRandom random;

    private LocalCertificateAuthority(
            PrivateKey key, X509Certificate certificate, SecureRandom random) {
        this.key = key;
        this.certificate = certificate;
        this.random = random;
    }

    /** Opens the CA stored in {@code store}, creating it first when the file does not exist. */
    public static LocalCertificateAuthority openOrCreate(
            Path store, char[] password, SecureRandom random) throws IOException {
        try {
            if (Files.exists(store)) {
                KeyStore ks = load(store, password);
                return new LocalCertificateAuthority(
                        (PrivateKey) ks.getKey(CA_ALIAS, password),
                        (X509Certificate) ks.getCertificate(CA_ALIAS),
                        random);
            }
            KeyPair pair = generate(random);
            X500Name name = new X500Name("CN=Vigil local CA");
            X509v3CertificateBuilder builder =
                    validFromNow(name, name, CA_VALIDITY, pair.getPublic(), random);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(builder, pair.getPrivate());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(CA_ALIAS, pair.getPrivate(), password, new Certificate[] {cert});
            save(ks, store, password);
            return new LocalCertificateAuthority(pair.getPrivate(), cert, random);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot open or create the local CA in " + store, e);
        }
    }

    /**
     * A certificate of {@code subject}'s key issued by {@code issuer}, valid from five minutes ago
     * (clocks a little apart) for {@code validity}.
     */
    private static X509v3CertificateBuilder validFromNow(
            X500Name issuer,
            X500Name subject,
            Duration validity,
            java.security.PublicKey key,
            SecureRandom random) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                serial(random),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(validity)),
                subject,
                key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Writes a PKCS#12 key store holding a new key pair under {@code alias} with a certificate for
     * {@code commonName}, valid for TLS server and client use on {@code hosts} (DNS names or IP
     * addresses), signed by this CA.
     */
    public void issue(
            Path keyStore, char[] password, String alias, String commonName, List<String> hosts)
            throws IOException {
        try {
            KeyPair pair = generate(random);
            X509v3CertificateBuilder builder =
                    validFromNow(
                            X500Name.getInstance(
                                    certificate.getSubjectX500Principal().getEncoded()),
                            new X500Name("CN=" + commonName),
                            LEAF_VALIDITY,
                            pair.getPublic(),
                            random);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(
                            new KeyPurposeId[] {
                                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                            }));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    ext.createAuthorityKeyIdentifier(certificate));
            GeneralName[] names =
                    hosts.stream()
                            .map(
                                    h ->
                                            h.chars()
                                                            .allMatch(
                                                                    c ->
                                                                            c == '.'
                                                                                    || Character
                                                                                            .isDigit(
                                                                                                    c))
                                                    ? new GeneralName(GeneralName.iPAddress, h)
                                                    : new GeneralName(GeneralName.dNSName, h))
                            .toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            X509Certificate cert = sign(builder, key);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(
                    alias, pair.getPrivate(), password, new Certificate[] {cert, certificate});
            save(ks, keyStore, password);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue a certificate into " + keyStore, e);
        }
    }

    /** Writes a PKCS#12 trust store holding this CA's certificate only. */
    public void writeTrustStore(Path trustStore, char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry(CA_ALIAS, certificate);
            save(ks, trustStore, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the trust store " + trustStore, e);
        }
    }

    private static KeyPair generate(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static KeyStore load(Path store, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static void save(KeyStore ks, Path store, char[] password)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(store.toAbsolutePath().getParent());
        Path tmp = store.resolveSibling(store.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        OwnerOnly.restrict(tmp);
        Files.move(
                tmp,
                store,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

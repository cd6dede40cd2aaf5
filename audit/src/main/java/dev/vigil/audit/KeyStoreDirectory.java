package dev.vigil.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Vigil's signing keys in a directory: {@code private/<key-id>.key} (both private keys, encrypted
 * with AES-256-GCM under a key derived from the password with PBKDF2-HMAC-SHA256), {@code
 * public/<key-id>.pub} (for edge agents and auditors, see {@link HybridPublicKeys}) and {@code
 * current} (the id that signs now). Rotation adds a key and keeps the old public keys, so records
 * signed before still verify. The password is never written or logged.
 */
public final class KeyStoreDirectory {

    /** Environment variable the CLI and jobs read the password from. */
    public static final String PASSWORD_ENV = "VIGIL_KEYSTORE_PASSWORD";

    private static final byte[] MAGIC = "VIGILKEY1".getBytes(StandardCharsets.US_ASCII);
    private static final int ITERATIONS = 210_000;

    private final Path dir;
    private final char[] password;

    private KeyStoreDirectory(Path dir, char[] password) {
        this.dir = dir;
        this.password = password.clone();
    }

    /**
     * Opens the key store in {@code dir}, creating it with a first key pair when it has none.
     *
     * @throws IOException naming the file that cannot be read, or saying that the password is wrong
     */
    public static KeyStoreDirectory openOrCreate(Path dir, char[] password, SecureRandom random)
            throws IOException {
        return openOrCreate(dir, password, random, "key");
    }

    /**
     * Opens or creates the key store in {@code dir} whose key ids are {@code <prefix>-0001}, {@code
     * <prefix>-0002}... (authors' stores use their name, so that ids stay unique across stores).
     */
    public static KeyStoreDirectory openOrCreate(
            Path dir, char[] password, SecureRandom random, String keyIdPrefix) throws IOException {
        if (password == null || password.length < 8) {
            throw new IllegalArgumentException(
                    "the key store password must have at least 8 characters (set "
                            + PASSWORD_ENV
                            + ")");
        }
        KeyStoreDirectory store = new KeyStoreDirectory(dir, password);
        if (!Files.exists(dir.resolve("current"))) {
            store.add(HybridSigner.generate(keyIdPrefix + "-0001", random));
        }
        store.signer(); // fails now on a wrong password
        return store;
    }

    /** The key pair that signs now. */
    public HybridSigner signer() throws IOException {
        String id = Files.readString(dir.resolve("current"), StandardCharsets.UTF_8).trim();
        return load(id);
    }

    /**
     * Adds a new key pair and makes it current; returns it. The caller records the rotation in the
     * audit trail.
     */
    public HybridSigner rotate(SecureRandom random) throws IOException {
        String current = signer().keyId();
        int dash = current.lastIndexOf('-');
        int n = Integer.parseInt(current.substring(dash + 1));
        HybridSigner next =
                HybridSigner.generate(
                        String.format("%s-%04d", current.substring(0, dash), n + 1), random);
        add(next);
        return next;
    }

    /** Every public key ever used, by key id. */
    public Map<String, HybridPublicKeys> publicKeys() throws IOException {
        return readPublicKeys(dir.resolve("public"));
    }

    /** Public keys exported to {@code dir} (files {@code *.pub}), by key id. */
    public static Map<String, HybridPublicKeys> readPublicKeys(Path dir) throws IOException {
        Map<String, HybridPublicKeys> keys = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("no public keys in " + dir + " (is it a Vigil key store?)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pub")).sorted().toList()) {
                HybridPublicKeys k = HybridPublicKeys.read(f);
                keys.put(k.keyId(), k);
            }
        }
        return keys;
    }

    private void add(HybridSigner signer) throws IOException {
        Files.createDirectories(dir.resolve("private"));
        Path file = dir.resolve("private").resolve(signer.keyId() + ".key");
        Files.write(file, encrypt(signer));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the encryption still protects the keys
        }
        signer.publicKeys().write(dir.resolve("public").resolve(signer.keyId() + ".pub"));
        Files.writeString(dir.resolve("current"), signer.keyId() + "\n", StandardCharsets.UTF_8);
    }

    private HybridSigner load(String keyId) throws IOException {
        Path file = dir.resolve("private").resolve(keyId + ".key");
        byte[] bytes = Files.readAllBytes(file);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a Vigil key file");
            }
            int iterations = in.readInt();
            byte[] salt = in.readNBytes(16);
            byte[] iv = in.readNBytes(12);
            byte[] sealed = in.readAllBytes();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(salt, iterations), new GCMParameterSpec(128, iv));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed);
            try (DataInputStream keys =
                    new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
                byte[] ed = keys.readNBytes(keys.readInt());
                byte[] ml = keys.readNBytes(keys.readInt());
                return new HybridSigner(keyId, ed, ml);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new IOException(
                    "cannot open " + file + ": wrong key store password or a damaged key file", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] encrypt(HybridSigner signer) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(iv);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(plain)) {
            byte[] ed = signer.ed25519Private();
            byte[] ml = signer.mlDsaPrivate();
            out.writeInt(ed.length);
            out.write(ed);
            out.writeInt(ml.length);
            out.write(ml);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(salt, ITERATIONS), new GCMParameterSpec(128, iv));
            cipher.updateAAD(signer.keyId().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.toByteArray());
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(file)) {
                out.write(MAGIC);
                out.writeInt(ITERATIONS);
                out.write(salt);
                out.write(iv);
                out.write(sealed);
            }
            return file.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt key " + signer.keyId(), e);
        }
    }

    private SecretKeySpec key(byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            byte[] k =
                    SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                            .generateSecret(spec)
                            .getEncoded();
            return new SecretKeySpec(k, "AES");
        } finally {
            spec.clearPassword();
        }
    }
}

package dev.vigil.local.security;

import dev.vigil.local.process.LaunchException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The local stack's broker security material under {@code <data>/security} (owner-only): a local
 * CA, the broker's TLS key store, the clients' trust store, one SCRAM-SHA-512 password per
 * principal and, per principal, a Kafka client properties file that any Kafka client (Vigil's or
 * {@code kafka-console-consumer --command-config}) can use as is. Created on the first {@code vigil
 * up}; later starts reuse it, adding passwords for principals that are new.
 */
public final class StackSecurity {

    /** The SASL mechanism of every client connection. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The broker certificate's subject: the broker's own principal on the controller listener. */
    public static final String BROKER_CN = "vigil-broker";

    private static final String SECRETS = "secrets.properties";

    private final Path dir;
    private final SecureRandom random = new SecureRandom();
    private Properties secrets;

    public StackSecurity(Path dataDir) {
        this.dir = dataDir.toAbsolutePath().normalize().resolve("security");
    }

    public Path dir() {
        return dir;
    }

    /** Whether {@link #ensure} has run for this data directory. */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve(SECRETS));
    }

    public Path brokerKeyStore() {
        return dir.resolve("broker.p12");
    }

    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /**
     * The fleet key (Base64, 32 bytes): the ingest path derives each node's key from it and checks
     * every telemetry record's node MAC (see {@code NodeIdentity}).
     */
    public Path fleetKey() {
        return dir.resolve("fleet.key");
    }

    /** The client properties file of {@code principal}. */
    public Path clientProperties(String principal) {
        return dir.resolve(principal + ".properties");
    }

    /**
     * Creates what is missing: CA, broker key store, trust store, passwords and the client
     * properties files for {@code bootstrapServers}.
     */
    public void ensure(String bootstrapServers) {
        try {
            Files.createDirectories(dir);
            OwnerOnly.restrict(dir);
            Properties s = secrets();
            boolean changed = false;
            if (s.getProperty("store.password") == null) {
                s.setProperty("store.password", newPassword());
                changed = true;
            }
            for (String name : StackPrincipals.names()) {
                if (s.getProperty(name + ".password") == null) {
                    s.setProperty(name + ".password", newPassword());
                    changed = true;
                }
            }
            if (changed) {
                writeSecrets(s);
            }
            char[] storePassword = storePassword().toCharArray();
            LocalCertificateAuthority ca =
                    LocalCertificateAuthority.openOrCreate(
                            dir.resolve("ca.p12"), storePassword, random);
            if (!Files.exists(brokerKeyStore())) {
                ca.issue(
                        brokerKeyStore(),
                        storePassword,
                        "broker",
                        BROKER_CN,
                        List.of("localhost", "127.0.0.1"));
            }
            if (!Files.exists(trustStore())) {
                ca.writeTrustStore(trustStore(), storePassword);
            }
            if (!Files.exists(fleetKey())) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                Path tmp = fleetKey().resolveSibling("fleet.key.tmp");
                Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n");
                OwnerOnly.restrict(tmp);
                Files.move(tmp, fleetKey());
            }
            for (String name : StackPrincipals.names()) {
                writeClientProperties(name, bootstrapServers);
            }
        } catch (IOException e) {
            throw new LaunchException("cannot create the stack's security material in " + dir, e);
        }
    }

    /** The password of the key and trust stores. */
    public String storePassword() {
        return require("store.password");
    }

    /** The SCRAM password of {@code principal}. */
    public String password(String principal) {
        return require(principal + ".password");
    }

    /** Client settings of {@code principal}: SASL_SSL with SCRAM over the local CA's TLS. */
    public KafkaClientSettings client(String principal, String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, clientMap(principal));
    }

    /** The broker settings that turn on TLS, SCRAM and the authorizer (see KafkaBroker). */
    public Map<String, String> brokerSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("sasl.enabled.mechanisms", MECHANISM);
        s.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        s.put(
                "listener.name.client." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                jaas(StackPrincipals.ADMIN));
        s.put("ssl.keystore.location", brokerKeyStore().toString());
        s.put("ssl.keystore.type", "PKCS12");
        s.put("ssl.keystore.password", storePassword());
        s.put("ssl.key.password", storePassword());
        s.put("ssl.truststore.location", trustStore().toString());
        s.put("ssl.truststore.type", "PKCS12");
        s.put("ssl.truststore.password", storePassword());
        // the controller listener takes the broker's own certificate only
        s.put("listener.name.controller.ssl.client.auth", "required");
        s.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        s.put("allow.everyone.if.no.acl.found", "false");
        s.put("super.users", "User:" + StackPrincipals.ADMIN + ";User:CN=" + BROKER_CN);
        return s;
    }

    /** The {@code --add-scram} argument of {@code kafka-storage format}: the admin's credential. */
    public String formatScramArgument() {
        return MECHANISM
                + "=[name="
                + StackPrincipals.ADMIN
                + ",password="
                + password(StackPrincipals.ADMIN)
                + "]";
    }

    private Map<String, String> clientMap(String principal) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(principal));
        p.put("ssl.truststore.location", trustStore().toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", storePassword());
        return p;
    }

    private String jaas(String principal) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + principal
                + "\" password=\""
                + password(principal)
                + "\";";
    }

    private void writeClientProperties(String principal, String bootstrapServers)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        clientMap(principal).forEach(p::setProperty);
        Path file = clientProperties(principal);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Kafka client settings of principal " + principal + "; written by vigil up");
        }
        OwnerOnly.restrict(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String require(String key) {
        String value = secrets().getProperty(key);
        if (value == null) {
            throw new LaunchException(
                    "no " + key + " in " + dir.resolve(SECRETS) + ": run ./vigil up first");
        }
        return value;
    }

    private synchronized Properties secrets() {
        if (secrets == null) {
            Properties p = new Properties();
            Path file = dir.resolve(SECRETS);
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new LaunchException("cannot read " + file, e);
                }
            }
            secrets = p;
        }
        return secrets;
    }

    private void writeSecrets(Properties s) throws IOException {
        Path file = dir.resolve(SECRETS);
        Path tmp = file.resolveSibling(SECRETS + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            s.store(w, "secrets of the local Vigil stack; never share this file");
        }
        OwnerOnly.restrict(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String newPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

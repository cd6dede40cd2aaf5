package dev.vigil.local.security;

import dev.vigil.local.process.LaunchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Gives every principal of {@link StackPrincipals} its SCRAM credential and its ACLs, as the admin.
 * Both are upserts: running it on every start adds what a newer Vigil needs and changes nothing
 * else.
 */
public final class KafkaAccessSetup {

    private static final int SCRAM_ITERATIONS = 4096;

    private KafkaAccessSetup() {}

    /** Creates credentials and ACLs; returns the number of ACL bindings in force. */
    public static int apply(Properties adminProperties, StackSecurity security) {
        try (Admin admin = Admin.create(adminProperties)) {
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            for (String name : StackPrincipals.names()) {
                if (name.equals(StackPrincipals.ADMIN)) {
                    continue; // created when the storage was formatted
                }
                credentials.add(
                        new UserScramCredentialUpsertion(
                                name,
                                new ScramCredentialInfo(
                                        ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                                security.password(name)));
            }
            admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
            var bindings = StackPrincipals.bindings();
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
            return bindings.size();
        } catch (ExecutionException e) {
            throw new LaunchException(
                    "cannot create the principals' credentials and ACLs: "
                            + e.getCause().getMessage(),
                    e);
        } catch (Exception e) {
            throw new LaunchException(
                    "cannot create the principals' credentials and ACLs: " + e.getMessage(), e);
        }
    }
}

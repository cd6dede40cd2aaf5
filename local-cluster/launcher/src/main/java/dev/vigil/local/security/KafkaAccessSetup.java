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

    /**
     * Waits until the broker serves what was written: the controller acknowledges a credential or
     * an ACL before the broker has applied its metadata record, and a client that connects in
     * between is refused ("invalid credentials").
     */
    private static void awaitInForce(
            Admin admin, int users, java.util.List<org.apache.kafka.common.acl.AclBinding> acls)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int known = admin.describeUserScramCredentials().all().get(10, TimeUnit.SECONDS).size();
            var present =
                    admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                            .values()
                            .get(10, TimeUnit.SECONDS);
            // the admin's own credential is listed too
            if (known > users && present.containsAll(acls)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException(
                        "the broker did not apply the principals' credentials and ACLs within 30 s"
                                + " ("
                                + known
                                + " credentials, "
                                + present.size()
                                + " ACLs)");
            }
            Thread.sleep(100);
        }
    }

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
            awaitInForce(admin, credentials.size(), bindings);
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

package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.EdgeAgentVerifier.Verdict;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeAgentVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    HybridSigner signer;
    EdgeAgentVerifier agent;

    @BeforeEach
    void keys() throws Exception {
        signer = HybridSigner.generate("key-0001", HybridSigningTest.seeded(21));
        agent =
                new EdgeAgentVerifier(
                        "node-00007",
                        Map.of("key-0001", signer.publicKeys()),
                        Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** node-00007's agent, trusting key-0001, with the given revocations and replay memory. */
    private EdgeAgentVerifier agent(KeyRevocations revocations, ReplayMemory memory, Clock clock) {
        return new EdgeAgentVerifier(
                "node-00007", Map.of("key-0001", signer.publicKeys()), revocations, memory, clock);
    }

    static RemediationCommand command(String id, String node) {
        return RemediationCommand.newBuilder()
                .setCommandId(id)
                .setCauseId("alert-1")
                .setPolicyId("security_breach")
                .setPolicyVersion(1)
                .setTargetNodeId(node)
                .setAction("ISOLATE_NODE")
                .setParameters(Map.of())
                .setRequiresApproval(true)
                .setIssuedAt(NOW.minusSeconds(5))
                .setExpiresAt(NOW.plusSeconds(300))
                .setKeyId("")
                .setSignatureEd25519(ByteBuffer.allocate(0))
                .setSignatureMlDsa(ByteBuffer.allocate(0))
                .build();
    }

    /**
     * A command signed over its bytes as written (record headers), its own signature fields empty:
     * the agent needs no re-encoding, so a reader of another schema version verifies it too.
     */
    @Test
    void aCommandIsVerifiedOverTheBytesReceived() {
        RemediationCommand c = command("cmd-11", "node-00007");
        byte[] value = AvroCodec.of(RemediationCommand.class).encode(c);
        Map<String, byte[]> headers = new java.util.HashMap<>();
        RecordSignatures.sign(signer, "remediation-commands", value, headers::put);
        assertThat(agent.verify("remediation-commands", value, headers::get, c))
                .isEqualTo(Verdict.ACCEPTED);
        assertThat(agent.verify("remediation-commands", value, headers::get, c))
                .isEqualTo(Verdict.REPLAYED);
        byte[] changed = value.clone();
        changed[changed.length - 1] ^= 1;
        assertThat(agent.verify("remediation-commands", changed, headers::get, c))
                .isEqualTo(Verdict.BAD_SIGNATURE);
        // without headers the command's own signature fields are all there is: empty, no key id
        assertThat(agent.verify("remediation-commands", value, h -> null, c))
                .isEqualTo(Verdict.UNKNOWN_KEY);
    }

    @Test
    void anAuthenticCommandForThisNodeIsAcceptedOnce() {
        RemediationCommand c = CommandSignatures.sign(command("cmd-1", "node-00007"), signer);
        assertThat(agent.verify(c)).isEqualTo(Verdict.ACCEPTED);
        assertThat(agent.verify(c)).isEqualTo(Verdict.REPLAYED);
        // a retry of the same command is the same command
        RemediationCommand retry = command("cmd-1", "node-00007");
        retry.setAttempt(1);
        assertThat(agent.verify(CommandSignatures.sign(retry, signer))).isEqualTo(Verdict.REPLAYED);
    }

    @Test
    void forgedAlteredExpiredAndOtherNodeCommandsAreRejected() throws Exception {
        HybridSigner attacker = HybridSigner.generate("key-0001", HybridSigningTest.seeded(99));
        assertThat(agent.verify(CommandSignatures.sign(command("cmd-2", "node-00007"), attacker)))
                .isEqualTo(Verdict.BAD_SIGNATURE);

        RemediationCommand altered = CommandSignatures.sign(command("cmd-3", "node-00007"), signer);
        altered.setAction("REVOKE_CREDENTIAL");
        assertThat(agent.verify(altered)).isEqualTo(Verdict.BAD_SIGNATURE);

        RemediationCommand moved = CommandSignatures.sign(command("cmd-4", "node-00008"), signer);
        assertThat(agent.verify(moved)).isEqualTo(Verdict.OTHER_NODE);
        moved.setTargetNodeId(
                "node-00007"); // re-addressed in transit: the signature no longer fits
        assertThat(agent.verify(moved)).isEqualTo(Verdict.BAD_SIGNATURE);

        RemediationCommand stale = command("cmd-5", "node-00007");
        stale.setExpiresAt(NOW);
        assertThat(agent.verify(CommandSignatures.sign(stale, signer))).isEqualTo(Verdict.EXPIRED);

        RemediationCommand unknown = CommandSignatures.sign(command("cmd-6", "node-00007"), signer);
        unknown.setKeyId("key-0002");
        assertThat(agent.verify(unknown)).isEqualTo(Verdict.UNKNOWN_KEY);

        // none of the rejected ones used up its id
        assertThat(agent.verify(CommandSignatures.sign(command("cmd-3", "node-00007"), signer)))
                .isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void aCommandAcceptedOnceIsRefusedAfterTheAgentRestarts(@TempDir Path state) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Path memory = state.resolve("node-00007.accepted");
        RemediationCommand c = CommandSignatures.sign(command("cmd-7", "node-00007"), signer);
        try (FileReplayMemory first = FileReplayMemory.open(memory, clock)) {
            EdgeAgentVerifier agent = agent(KeyRevocations.none(), first, clock);
            assertThat(agent.verify(c)).isEqualTo(Verdict.ACCEPTED);
        }
        try (FileReplayMemory restarted = FileReplayMemory.open(memory, clock)) {
            EdgeAgentVerifier agent = agent(KeyRevocations.none(), restarted, clock);
            assertThat(agent.verify(c)).isEqualTo(Verdict.REPLAYED);
            RemediationCommand other =
                    CommandSignatures.sign(command("cmd-8", "node-00007"), signer);
            assertThat(agent.verify(other)).isEqualTo(Verdict.ACCEPTED);
        }
        // an in-memory agent forgets: what the durable memory is for
        assertThat(
                        new EdgeAgentVerifier(
                                        "node-00007",
                                        Map.of("key-0001", signer.publicKeys()),
                                        Clock.fixed(NOW, ZoneOffset.UTC))
                                .verify(c))
                .isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void aRevokedKeyIsRefusedFromTheMomentTheRevocationIsWritten(@TempDir Path keys)
            throws Exception {
        KeyRevocations revocations = KeyRevocations.in(keys);
        EdgeAgentVerifier agent =
                agent(revocations, ReplayMemory.inMemory(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(agent.verify(CommandSignatures.sign(command("cmd-9", "node-00007"), signer)))
                .isEqualTo(Verdict.ACCEPTED);
        KeyRevocations.revoke(
                keys, new KeyRevocations.Revocation("key-0001", NOW, "laptop stolen"));
        RemediationCommand after = CommandSignatures.sign(command("cmd-10", "node-00007"), signer);
        assertThat(agent.verify(after)).isEqualTo(Verdict.REVOKED_KEY);
        assertThat(revocations.all())
                .containsExactly(
                        Map.entry(
                                "key-0001",
                                new KeyRevocations.Revocation("key-0001", NOW, "laptop stolen")));
        // the refused command did not use up its id
        assertThat(
                        new EdgeAgentVerifier(
                                        "node-00007",
                                        Map.of("key-0001", signer.publicKeys()),
                                        Clock.fixed(NOW, ZoneOffset.UTC))
                                .verify(after))
                .isEqualTo(Verdict.ACCEPTED);
    }
}

package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tampering with a trail of two chains (interleaved as on a topic partition) and its signed tree
 * heads: each kind of tampering is caught and the first record at fault is named.
 */
class AuditVerifierTest {

    static final String AUDIT = "audit";
    static final String HEADS = "audit-checkpoints";

    HybridSigner signer;
    List<AuditVerifier.Located<AuditEvent>> entries;
    List<AuditVerifier.Located<AuditCheckpoint>> heads;

    @BeforeEach
    void trail() throws Exception {
        signer = HybridSigner.generate("key-0001", HybridSigningTest.seeded(11));
        AuditChain alerts = new AuditChain("alerts");
        AuditChain commands = new AuditChain("commands");
        entries = new ArrayList<>();
        heads = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 500; i++) {
            AuditChain chain = i % 3 == 0 ? commands : alerts;
            AuditEvent e =
                    chain.append(
                            i % 3 == 0 ? "COMMAND_ISSUED" : "ALERT",
                            "subject-" + i,
                            i % 3 == 0 ? "remediation-commands" : "alerts",
                            ("payload " + i).getBytes(),
                            42L,
                            Instant.ofEpochMilli(1_000_000L + i));
            entries.add(new AuditVerifier.Located<>(AUDIT, 0, offset++, e));
            if (i % 100 == 99) {
                for (AuditChain c : List.of(alerts, commands)) {
                    AuditCheckpoint head =
                            c.checkpoint(signer, Instant.ofEpochMilli(2_000_000L + i), (long) i);
                    heads.add(new AuditVerifier.Located<>(HEADS, 0, heads.size(), head));
                }
            }
        }
    }

    AuditVerifier.Report verify() {
        List<Long> progress = new ArrayList<>();
        return new AuditVerifier(Map.of("key-0001", signer.publicKeys()), progress::add)
                .verify(entries, heads);
    }

    @Test
    void anUntouchedTrailIsIntact() {
        AuditVerifier.Report r = verify();
        assertThat(r.problem()).isNull();
        assertThat(r.intact()).isTrue();
        assertThat(r.entries()).isEqualTo(500);
        assertThat(r.checkpoints()).isEqualTo(10);
        assertThat(r.chainSizes()).containsEntry("commands", 167L).containsEntry("alerts", 333L);
        assertThat(r.uncovered()).isEmpty();
    }

    @Test
    void aModifiedPayloadIsNamed() {
        AuditEvent e = entries.get(200).record();
        e.setPayload(ByteBuffer.wrap("payload 201".getBytes()));
        AuditVerifier.Report r = verify();
        assertThat(r.problem().offset()).isEqualTo(200);
        assertThat(r.problem().what()).contains("do not match its hash");
    }

    @Test
    void aModifiedEntryWithARecomputedHashBreaksTheNextLink() {
        AuditEvent e = entries.get(200).record();
        e.setSubjectId("someone-else");
        e.setHash(ByteBuffer.wrap(AuditChain.hash(e)));
        AuditVerifier.Report r = verify();
        // the next entry of the same chain (alerts: offsets 200, 202; 201 is a command) no longer
        // links
        assertThat(r.problem().offset()).isEqualTo(202);
        assertThat(r.problem().what()).contains("prev_hash");
    }

    @Test
    void aRewrittenTailIsCaughtByTheSignedRoot() {
        // the attacker rewrites the chain's last entry and rehashes it: no later entry to break,
        // but the tree head signed over it no longer matches
        int last = 499; // the alerts chain's last entry (commands are every third, from 0)
        AuditEvent e = entries.get(last).record();
        e.setSubjectId("rewritten");
        e.setHash(ByteBuffer.wrap(AuditChain.hash(e)));
        AuditVerifier.Report r = verify();
        assertThat(r.problem().topic()).isEqualTo(HEADS);
        assertThat(r.problem().chainId()).isEqualTo("alerts");
        assertThat(r.problem().what()).contains("signed root does not match");
    }

    @Test
    void aDeletedEntryLeavesAGap() {
        entries.remove(300); // a command; the chain's next entry is at offset 303
        AuditVerifier.Report r = verify();
        assertThat(r.problem().offset()).isEqualTo(303);
        assertThat(r.problem().chainId()).isEqualTo("commands");
        assertThat(r.problem().what()).contains("1 entry is missing");
    }

    @Test
    void anInsertedDuplicateIsNamed() {
        AuditVerifier.Located<AuditEvent> copy = entries.get(150);
        entries.add(152, new AuditVerifier.Located<>(AUDIT, 0, 9_999, copy.record()));
        AuditVerifier.Report r = verify();
        assertThat(r.problem().offset()).isEqualTo(9_999);
        assertThat(r.problem().what()).contains("comes again");
    }

    @Test
    void reorderedEntriesAreNamed() {
        // offsets 401 and 403 hold consecutive alerts entries: swap them
        AuditVerifier.Located<AuditEvent> a = entries.get(401);
        AuditVerifier.Located<AuditEvent> b = entries.get(403);
        entries.set(401, new AuditVerifier.Located<>(AUDIT, 0, 401, b.record()));
        entries.set(403, new AuditVerifier.Located<>(AUDIT, 0, 403, a.record()));
        AuditVerifier.Report r = verify();
        assertThat(r.problem().offset()).isEqualTo(401);
        assertThat(r.problem().what()).contains("missing");
    }

    @Test
    void aBadSignatureAnUnknownKeyAndAMissingTreeHeadAreNamed() throws Exception {
        AuditCheckpoint head = heads.get(4).record();
        byte[] sig = AuditChain.bytes(head.getSignatureMlDsa());
        sig[100] ^= 1;
        head.setSignatureMlDsa(ByteBuffer.wrap(sig));
        AuditVerifier.Report bad = verify();
        assertThat(bad.problem().topic()).isEqualTo(HEADS);
        assertThat(bad.problem().offset()).isEqualTo(4);
        assertThat(bad.problem().what()).contains("signatures do not verify");

        trail();
        heads.get(3).record().setKeyId("key-0009");
        assertThat(verify().problem().what()).contains("unknown key key-0009");

        trail();
        heads.remove(2); // the alerts chain's second head
        AuditVerifier.Report missing = verify();
        assertThat(missing.problem().offset()).isEqualTo(4);
        assertThat(missing.problem().what()).contains("does not link");
    }

    @Test
    void entriesAfterTheLastTreeHeadAreReportedAsNotYetCovered() {
        AuditChain alerts = new AuditChain("x");
        entries.clear();
        heads.clear();
        for (int i = 0; i < 5; i++) {
            entries.add(
                    new AuditVerifier.Located<>(
                            AUDIT,
                            0,
                            i,
                            alerts.append(
                                    "ALERT", "s", "alerts", new byte[] {1}, 1, Instant.EPOCH)));
        }
        heads.add(
                new AuditVerifier.Located<>(
                        HEADS, 0, 0, alerts.checkpoint(signer, Instant.EPOCH, null)));
        entries.add(
                new AuditVerifier.Located<>(
                        AUDIT,
                        0,
                        5,
                        alerts.append("ALERT", "s", "alerts", new byte[] {1}, 1, Instant.EPOCH)));
        AuditVerifier.Report r = verify();
        assertThat(r.intact()).isTrue();
        assertThat(r.uncovered()).containsEntry("x", 1L);
        // a head that claims more than there is: entries deleted at the end
        entries.remove(5);
        entries.remove(4);
        AuditVerifier.Report cut = verify();
        assertThat(cut.problem().what()).contains("covers 5 entries but the chain has 4");
    }
}

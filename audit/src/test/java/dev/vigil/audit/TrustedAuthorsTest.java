package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.audit.TrustedAuthors.AuthorKey;
import dev.vigil.audit.TrustedAuthors.Outcome;
import dev.vigil.audit.TrustedAuthors.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedAuthorsTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    private final byte[] value = "a rule command as written".getBytes(StandardCharsets.UTF_8);
    private HybridSigner operator;
    private HybridSigner approver;

    @TempDir Path dir;

    @BeforeEach
    void trustStore() throws Exception {
        operator = HybridSigner.generate("operator-0001", HybridSigningTest.seeded(41));
        approver = HybridSigner.generate("approver-0001", HybridSigningTest.seeded(42));
        new AuthorKey(operator.publicKeys(), "operator", Set.of("rules", "models"), FROM, UNTIL)
                .writeTo(dir);
        new AuthorKey(approver.publicKeys(), "approver", Set.of("approvals"), FROM, UNTIL)
                .writeTo(dir);
    }

    private static Map<String, byte[]> signed(HybridSigner signer, String topic, byte[] bytes) {
        Map<String, byte[]> headers = new HashMap<>();
        RecordSignatures.sign(signer, topic, bytes, headers::put);
        return headers;
    }

    private Verdict check(String kind, Map<String, byte[]> headers, Instant at) throws Exception {
        return TrustedAuthors.in(dir).verify(kind, "rules", value, headers::get, at);
    }

    @Test
    void anAuthorsSignatureOfAKindItMaySignIsValidAndNamesTheSigner() throws Exception {
        Verdict v = check("rules", signed(operator, "rules", value), AT);
        assertThat(v.outcome()).isEqualTo(Outcome.VALID);
        assertThat(v.signer()).isEqualTo("operator/operator-0001");
        assertThat(v.detail()).isNull();
    }

    @Test
    void eachReasonToRefuseIsNamed() throws Exception {
        assertThat(check("rules", Map.of(), AT))
                .isEqualTo(
                        new Verdict(
                                Outcome.UNSIGNED,
                                null,
                                null,
                                "the record carries no author signature (headers vigil.sig.key,"
                                        + " vigil.sig.ed25519, vigil.sig.mldsa)"));
        // the approver's genuine signature on a rule command
        assertThat(check("rules", signed(approver, "rules", value), AT))
                .isEqualTo(
                        new Verdict(
                                Outcome.NOT_AUTHORIZED,
                                "approver-0001",
                                "approver",
                                "approver (key approver-0001) may sign approvals, not rules"));
        // signed over other bytes
        byte[] other = value.clone();
        other[0] ^= 1;
        assertThat(check("rules", signed(operator, "rules", other), AT))
                .isEqualTo(
                        new Verdict(
                                Outcome.BAD_SIGNATURE,
                                "operator-0001",
                                "operator",
                                "the signature of key operator-0001 does not verify over the"
                                        + " bytes received"));
        // signed for another topic
        assertThat(check("rules", signed(operator, "approvals", value), AT).outcome())
                .isEqualTo(Outcome.BAD_SIGNATURE);
        HybridSigner stranger = HybridSigner.generate("mallory-0001", HybridSigningTest.seeded(43));
        assertThat(check("rules", signed(stranger, "rules", value), AT))
                .isEqualTo(
                        new Verdict(
                                Outcome.UNKNOWN_KEY,
                                "mallory-0001",
                                null,
                                "signed with key mallory-0001, which is not a trusted author"
                                        + " key"));
        // a key of the same id that is not the trusted one
        HybridSigner impostor =
                HybridSigner.generate("operator-0001", HybridSigningTest.seeded(44));
        assertThat(check("rules", signed(impostor, "rules", value), AT).outcome())
                .isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void aKeyIsValidFromItsStartUntilItsEnd() throws Exception {
        Map<String, byte[]> headers = signed(operator, "rules", value);
        assertThat(check("rules", headers, FROM).outcome()).isEqualTo(Outcome.VALID);
        assertThat(check("rules", headers, FROM.minusMillis(1)))
                .isEqualTo(
                        new Verdict(
                                Outcome.OUTSIDE_VALIDITY,
                                "operator-0001",
                                "operator",
                                "key operator-0001 is valid from 2026-01-01T00:00:00Z until"
                                        + " 2027-01-01T00:00:00Z, the record is of"
                                        + " 2025-12-31T23:59:59.999Z"));
        assertThat(check("rules", headers, UNTIL.minusMillis(1)).outcome())
                .isEqualTo(Outcome.VALID);
        assertThat(check("rules", headers, UNTIL).outcome()).isEqualTo(Outcome.OUTSIDE_VALIDITY);
    }

    @Test
    void aRunningStoreSeesANewKeyAndARevocationWithoutReopening() throws Exception {
        TrustedAuthors store = TrustedAuthors.in(dir);
        HybridSigner next = HybridSigner.generate("operator-0002", HybridSigningTest.seeded(45));
        Map<String, byte[]> headers = signed(next, "rules", value);
        assertThat(store.verify("rules", "rules", value, headers::get, AT).outcome())
                .isEqualTo(Outcome.UNKNOWN_KEY);

        new AuthorKey(next.publicKeys(), "operator", Set.of("rules"), FROM, UNTIL).writeTo(dir);
        assertThat(store.verify("rules", "rules", value, headers::get, AT).signer())
                .isEqualTo("operator/operator-0002");

        KeyRevocations.revoke(
                dir,
                new KeyRevocations.Revocation(
                        "operator-0002", Instant.parse("2026-06-02T00:00:00Z"), "laptop stolen"));
        // refused from the moment the revocation is known, whatever the record's time
        assertThat(store.verify("rules", "rules", value, headers::get, AT))
                .isEqualTo(
                        new Verdict(
                                Outcome.REVOKED_KEY,
                                "operator-0002",
                                "operator",
                                "signed with key operator-0002 of operator, revoked: laptop"
                                        + " stolen"));
    }

    @Test
    void aKeyFileRoundTripsAndAMalformedOneIsNamed() throws Exception {
        AuthorKey read = AuthorKey.read(dir.resolve("operator-0001" + TrustedAuthors.SUFFIX));
        assertThat(read.author()).isEqualTo("operator");
        assertThat(read.kinds()).containsExactlyInAnyOrder("rules", "models");
        assertThat(read.validFrom()).isEqualTo(FROM);
        assertThat(read.validUntil()).isEqualTo(UNTIL);
        assertThat(TrustedAuthors.in(dir).all()).containsOnlyKeys("approver-0001", "operator-0001");

        Path broken = dir.resolve("broken" + TrustedAuthors.SUFFIX);
        Files.writeString(
                broken,
                Files.readString(dir.resolve("approver-0001" + TrustedAuthors.SUFFIX))
                        .replace("valid-until=", "valid-til="));
        assertThatThrownBy(() -> TrustedAuthors.in(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(broken + ": no 'valid-until=' line");
        assertThatThrownBy(() -> TrustedAuthors.in(dir.resolve("missing")))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("missing is not a directory of trusted author keys");
    }
}

package dev.vigil.cli;

import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyRevocations;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.audit.TrustedAuthors;
import dev.vigil.local.StackKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** {@code vigil keys list | rotate | revoke}: the signing keys of the local stack. */
final class KeysCommand {

    static final String USAGE =
            "usage: ./vigil keys list      key ids and the one that signs now\n"
                    + "       ./vigil keys rotate    add a key pair and sign with it from the jobs'"
                    + " next start (./vigil down && ./vigil up); old public keys stay trusted\n"
                    + "       ./vigil keys revoke KEY_ID [REASON]   agents and auditors refuse"
                    + " everything signed with it from now on (rotate first if it signs now);"
                    + " an author's key: the jobs refuse the rules, models and approvals it"
                    + " signed\n"
                    + "       ./vigil keys authors   the authors' keys the jobs trust, what each"
                    + " may sign, until when\n"
                    + "       ./vigil keys rotate --author operator|approver   a new key for the"
                    + " author, trusted at once";

    private final StackKeys keys;
    private final PrintStream out;

    KeysCommand(StackKeys keys, PrintStream out) {
        this.keys = keys;
        this.out = out;
    }

    int run(List<String> args) {
        if (args.size() == 3 && args.get(0).equals("rotate") && args.get(1).equals("--author")) {
            try {
                return rotateAuthor(args.get(2));
            } catch (IOException e) {
                out.println("vigil keys: " + e.getMessage());
                return 1;
            }
        }
        if (args.isEmpty() || (args.size() != 1 && !args.get(0).equals("revoke"))) {
            out.println(USAGE);
            return 2;
        }
        try {
            switch (args.get(0)) {
                case "list" -> {
                    String current = keys.open().signer().keyId();
                    for (String id : keys.open().publicKeys().keySet()) {
                        out.println(id + (id.equals(current) ? "  (signs now)" : ""));
                    }
                    out.println("public keys for agents and auditors: " + keys.publicKeys());
                    return 0;
                }
                case "rotate" -> {
                    HybridSigner next = keys.open().rotate(new SecureRandom());
                    out.println(
                            "new signing key "
                                    + next.keyId()
                                    + "; the jobs sign with it after ./vigil down && ./vigil up;"
                                    + " give agents "
                                    + keys.publicKeys().resolve(next.keyId() + ".pub"));
                    return 0;
                }
                case "authors" -> {
                    return authors();
                }
                case "revoke" -> {
                    if (args.size() < 2) {
                        out.println(USAGE);
                        return 2;
                    }
                    return revoke(
                            args.get(1),
                            args.size() > 2
                                    ? String.join(" ", args.subList(2, args.size()))
                                    : "revoked by the operator");
                }
                default -> {
                    out.println(USAGE);
                    return 2;
                }
            }
        } catch (IOException e) {
            out.println("vigil keys: " + e.getMessage());
            return 1;
        }
    }

    private int authors() throws IOException {
        keys.openAuthors(Instant.now());
        TrustedAuthors trusted = TrustedAuthors.in(keys.trustedAuthors());
        for (TrustedAuthors.AuthorKey k : trusted.all().values()) {
            KeyRevocations.Revocation r = trusted.revocations().all().get(k.keyId());
            out.printf(
                    "%s  %s  may sign %s  valid %s .. %s%s%n",
                    k.keyId(),
                    k.author(),
                    String.join(",", new java.util.TreeSet<>(k.kinds())),
                    k.validFrom(),
                    k.validUntil(),
                    r == null ? "" : "  REVOKED " + r.revokedAt() + " (" + r.reason() + ")");
        }
        out.println("trust store of the jobs: " + keys.trustedAuthors());
        return 0;
    }

    private int rotateAuthor(String author) throws IOException {
        if (!StackKeys.AUTHORS.containsKey(author)) {
            out.println(
                    "vigil keys: no author "
                            + author
                            + " (authors: "
                            + String.join(", ", new java.util.TreeSet<>(StackKeys.AUTHORS.keySet()))
                            + ")");
            return 2;
        }
        HybridSigner next = keys.author(author).rotate(new SecureRandom());
        keys.openAuthors(Instant.now());
        out.println(
                author
                        + " signs with "
                        + next.keyId()
                        + " from now on; the jobs trust it already. The old key stays trusted"
                        + " for what it signed: revoke it if it was lost");
        return 0;
    }

    private int revoke(String keyId, String reason) throws IOException {
        keys.openAuthors(Instant.now());
        if (TrustedAuthors.in(keys.trustedAuthors()).all().containsKey(keyId)) {
            return revokeAuthorKey(keyId, reason);
        }
        KeyStoreDirectory store = keys.open();
        if (!store.publicKeys().containsKey(keyId)) {
            out.println("vigil keys: no key " + keyId + " (./vigil keys list)");
            return 2;
        }
        if (store.signer().keyId().equals(keyId)) {
            out.println(
                    "vigil keys: "
                            + keyId
                            + " signs now: ./vigil keys rotate, ./vigil down && ./vigil up, then"
                            + " revoke it");
            return 2;
        }
        if (KeyRevocations.in(keys.publicKeys()).isRevoked(keyId)) {
            out.println(keyId + " is already revoked");
            return 0;
        }
        KeyRevocations.revoke(
                keys.publicKeys(), new KeyRevocations.Revocation(keyId, Instant.now(), reason));
        out.println(
                "revoked "
                        + keyId
                        + " ("
                        + reason
                        + "); give agents "
                        + keys.publicKeys().resolve(KeyRevocations.FILE));
        return 0;
    }

    private int revokeAuthorKey(String keyId, String reason) throws IOException {
        TrustedAuthors.AuthorKey key = TrustedAuthors.in(keys.trustedAuthors()).all().get(keyId);
        if (keys.author(key.author()).signer().keyId().equals(keyId)) {
            out.println(
                    "vigil keys: "
                            + keyId
                            + " is the key "
                            + key.author()
                            + " signs with: ./vigil keys rotate --author "
                            + key.author()
                            + ", then revoke it");
            return 2;
        }
        KeyRevocations revocations = KeyRevocations.in(keys.trustedAuthors());
        if (revocations.isRevoked(keyId)) {
            out.println(keyId + " is already revoked");
            return 0;
        }
        KeyRevocations.revoke(
                keys.trustedAuthors(), new KeyRevocations.Revocation(keyId, Instant.now(), reason));
        out.println(
                "revoked "
                        + key.author()
                        + "'s key "
                        + keyId
                        + " ("
                        + reason
                        + "); the jobs refuse what it signed from now on");
        return 0;
    }
}

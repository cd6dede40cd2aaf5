package dev.vigil.cli;

import dev.vigil.audit.HybridSigner;
import dev.vigil.local.StackKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;

/** {@code vigil keys list | rotate}: the signing keys of the local stack. */
final class KeysCommand {

    static final String USAGE =
            "usage: ./vigil keys list      key ids and the one that signs now\n"
                    + "       ./vigil keys rotate    add a key pair and sign with it from the jobs'"
                    + " next start (./vigil down && ./vigil up); old public keys stay trusted";

    private final StackKeys keys;
    private final PrintStream out;

    KeysCommand(StackKeys keys, PrintStream out) {
        this.keys = keys;
        this.out = out;
    }

    int run(List<String> args) {
        if (args.size() != 1) {
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
}

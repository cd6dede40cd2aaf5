package dev.vigil.cli;

import dev.vigil.audit.CommandSignatures;
import dev.vigil.audit.HybridSigner;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.avro.AvroCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Commands for {@code vigil agent verify --file}: signed, written one base64 record a line. */
final class CommandFiles {

    private CommandFiles() {}

    /** A command valid for ten minutes from now, signed with {@code signer}. */
    static RemediationCommand signed(
            String commandId, String node, String policy, String action, HybridSigner signer) {
        return CommandSignatures.sign(
                RemediationCommand.newBuilder()
                        .setCommandId(commandId)
                        .setCauseId("alert-" + commandId)
                        .setPolicyId(policy)
                        .setPolicyVersion(1)
                        .setTargetNodeId(node)
                        .setAction(action)
                        .setParameters(Map.of())
                        .setRequiresApproval(false)
                        .setIssuedAt(Instant.now())
                        .setExpiresAt(Instant.now().plusSeconds(600))
                        .setKeyId("")
                        .setSignatureEd25519(ByteBuffer.allocate(0))
                        .setSignatureMlDsa(ByteBuffer.allocate(0))
                        .build(),
                signer);
    }

    /** Writes the commands to {@code file}, one base64-encoded record a line. */
    static Path write(Path file, RemediationCommand... commands) throws IOException {
        AvroCodec<RemediationCommand> codec = AvroCodec.of(RemediationCommand.class);
        StringBuilder text = new StringBuilder();
        for (RemediationCommand c : commands) {
            text.append(Base64.getEncoder().encodeToString(codec.encode(c))).append('\n');
        }
        return Files.writeString(file, text);
    }

    /** The arguments of {@code vigil agent verify} for a node's commands in a file. */
    static List<String> verify(String node, Path file, String... more) {
        List<String> args =
                new ArrayList<>(List.of("verify", "--node", node, "--file", file.toString()));
        args.addAll(List.of(more));
        return args;
    }
}

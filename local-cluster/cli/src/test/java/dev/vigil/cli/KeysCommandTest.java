package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyRevocations;
import dev.vigil.local.StackKeys;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    @Test
    void listAndRotateKeepEveryPublicKeyAndNeverPrintThePassword(@TempDir Path data)
            throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        StackKeys keys = new StackKeys(data);
        KeysCommand command = new KeysCommand(keys, out);
        assertThat(command.run(new ArrayList<>(List.of("list")))).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("key-0001  (signs now)");
        assertThat(command.run(new ArrayList<>(List.of("rotate")))).isZero();
        text.reset();
        assertThat(command.run(new ArrayList<>(List.of("list")))).isZero();
        String listed = text.toString(StandardCharsets.UTF_8);
        assertThat(listed).contains("key-0001\n").contains("key-0002  (signs now)");
        if (System.getenv("VIGIL_KEYSTORE_PASSWORD") == null) {
            Path file = data.resolve("keystore.password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(listed).doesNotContain(Files.readString(file).trim());
        }
        assertThat(command.run(new ArrayList<>(List.of("delete")))).isEqualTo(2);
    }

    @Test
    void revokingAKeyMakesAgentsRefuseItsCommandsButNotTheKeyThatSignsNow(@TempDir Path data)
            throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        StackKeys keys = new StackKeys(data);
        KeysCommand command = new KeysCommand(keys, out);
        assertThat(command.run(new ArrayList<>(List.of("revoke", "key-0001")))).isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("key-0001 signs now");
        assertThat(command.run(new ArrayList<>(List.of("revoke", "key-0009")))).isEqualTo(2);
        HybridSigner old = keys.open().signer();
        assertThat(command.run(new ArrayList<>(List.of("rotate")))).isZero();
        assertThat(command.run(new ArrayList<>(List.of("revoke", "key-0001", "laptop", "lost"))))
                .isZero();
        assertThat(KeyRevocations.in(keys.publicKeys()).all().get("key-0001").reason())
                .isEqualTo("laptop lost");

        Path file =
                CommandFiles.write(
                        data.resolve("commands.b64"),
                        CommandFiles.signed(
                                "cmd-1", "node-00001", "security_breach", "ISOLATE_NODE", old));
        ByteArrayOutputStream agentText = new ByteArrayOutputStream();
        AgentCommand agent =
                new AgentCommand(
                        KafkaClientSettings.plaintext("localhost:1"),
                        keys.publicKeys(),
                        new PrintStream(agentText, true, StandardCharsets.UTF_8),
                        Clock.systemUTC());
        assertThat(agent.run(CommandFiles.verify("node-00001", file))).isEqualTo(1);
        assertThat(agentText.toString(StandardCharsets.UTF_8))
                .contains("REVOKED_KEY   cmd-1 ISOLATE_NODE")
                .contains("node-00001: {REVOKED_KEY=1}");
    }

    @Test
    void anAgentWithStateRefusesACommandItAcceptedInAnEarlierRun(@TempDir Path data)
            throws Exception {
        StackKeys keys = new StackKeys(data);
        HybridSigner signer = keys.open().signer();
        Path file =
                CommandFiles.write(
                        data.resolve("commands.b64"),
                        CommandFiles.signed(
                                "cmd-2", "node-00002", "overheating", "SCALE_UP", signer));
        List<String> verify =
                CommandFiles.verify(
                        "node-00002", file, "--state", data.resolve("agent-state").toString());
        String first = runAgent(keys, verify);
        String second = runAgent(keys, verify);
        assertThat(first).contains("node-00002: {ACCEPTED=1}");
        assertThat(second).contains("node-00002: {REPLAYED=1}");
    }

    @Test
    void anAgentReadsTheExportFormatAsWellAsBase64Lines(@TempDir Path data) throws Exception {
        StackKeys keys = new StackKeys(data);
        HybridSigner signer = keys.open().signer();
        RemediationCommand mine =
                CommandFiles.signed("cmd-3", "node-00003", "overheating", "SCALE_UP", signer);
        RemediationCommand other =
                CommandFiles.signed("cmd-4", "node-00004", "overheating", "SCALE_UP", signer);
        AvroCodec<RemediationCommand> codec = AvroCodec.of(RemediationCommand.class);
        Path export = data.resolve("commands.export");
        AuditCommand.write(
                List.of(
                        new AuditCommand.Raw("remediation-commands", 0, 7, codec.encode(mine)),
                        new AuditCommand.Raw("remediation-commands", 1, 2, codec.encode(other)),
                        new AuditCommand.Raw("audit", 0, 0, new byte[] {1, 2, 3})),
                export);

        assertThat(runAgent(keys, CommandFiles.verify("node-00003", export)))
                .contains("ACCEPTED")
                .contains("cmd-3")
                .doesNotContain("cmd-4")
                .contains("node-00003: {ACCEPTED=1}");

        Path garbage = Files.writeString(data.resolve("garbage"), "not # base64\n");
        assertThat(runAgent(keys, CommandFiles.verify("node-00003", garbage), 1))
                .contains(
                        garbage
                                + " line 1 is neither an export line (topic, partition, offset,"
                                + " Base64 value, tab-separated) nor one Base64 record");
    }

    private static String runAgent(StackKeys keys, List<String> args) {
        return runAgent(keys, args, 0);
    }

    private static String runAgent(StackKeys keys, List<String> args, int expectedCode) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int code =
                new AgentCommand(
                                KafkaClientSettings.plaintext("localhost:1"),
                                keys.publicKeys(),
                                new PrintStream(text, true, StandardCharsets.UTF_8),
                                Clock.systemUTC())
                        .run(new ArrayList<>(args));
        assertThat(code).as(text.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        return text.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAuthorsKeyRotatesAndItsOldKeyIsRevokedInTheJobsTrustStore(@TempDir Path data)
            throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        StackKeys keys = new StackKeys(data);
        KeysCommand command = new KeysCommand(keys, out);
        assertThat(command.run(new ArrayList<>(List.of("authors")))).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("approver-0001  approver  may sign approvals  valid ")
                .contains("operator-0001  operator  may sign models,rules  valid ");
        assertThat(command.run(new ArrayList<>(List.of("revoke", "operator-0001")))).isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("operator-0001 is the key operator signs with");
        assertThat(command.run(new ArrayList<>(List.of("rotate", "--author", "nobody"))))
                .isEqualTo(2);

        assertThat(command.run(new ArrayList<>(List.of("rotate", "--author", "operator"))))
                .isZero();
        assertThat(keys.author(StackKeys.OPERATOR).signer().keyId()).isEqualTo("operator-0002");
        assertThat(
                        command.run(
                                new ArrayList<>(
                                        List.of("revoke", "operator-0001", "laptop", "lost"))))
                .isZero();
        dev.vigil.audit.TrustedAuthors trusted =
                dev.vigil.audit.TrustedAuthors.in(keys.trustedAuthors());
        assertThat(trusted.all())
                .containsOnlyKeys("approver-0001", "operator-0001", "operator-0002");
        assertThat(trusted.revocations().all()).containsOnlyKeys("operator-0001");
        text.reset();
        assertThat(command.run(new ArrayList<>(List.of("authors")))).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8))
                .containsPattern("operator-0001  operator .* REVOKED .* \\(laptop lost\\)")
                .contains("operator-0002  operator  may sign models,rules  valid ");
        // the stack's own signing keys are untouched
        assertThat(KeyRevocations.in(keys.publicKeys()).all()).isEmpty();
    }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.local.StackKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}

package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReplayMemoryTest {

    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir Path dir;

    @Test
    void remembersAcrossOpensAndForgetsOnlyExpiredCommands() throws Exception {
        Path file = dir.resolve("agent.accepted");
        try (FileReplayMemory m = FileReplayMemory.open(file, at(NOW))) {
            assertThat(m.firstTime("a", NOW.plusSeconds(60))).isTrue();
            assertThat(m.firstTime("b", NOW.plusSeconds(600))).isTrue();
            assertThat(m.firstTime("a", NOW.plusSeconds(60))).isFalse();
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .isEqualTo(
                        NOW.plusSeconds(60).toEpochMilli()
                                + " a\n"
                                + NOW.plusSeconds(600).toEpochMilli()
                                + " b\n");
        // two minutes later "a" has expired (an agent refuses it as EXPIRED anyway): dropped
        try (FileReplayMemory m = FileReplayMemory.open(file, at(NOW.plusSeconds(120)))) {
            assertThat(m.size()).isEqualTo(1);
            assertThat(m.firstTime("b", NOW.plusSeconds(600))).isFalse();
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .isEqualTo(NOW.plusSeconds(600).toEpochMilli() + " b\n");
    }

    @Test
    void aTornLastAppendIsIgnoredAndAnyOtherBadLineStopsTheAgent() throws Exception {
        Path file = dir.resolve("torn.accepted");
        long exp = NOW.plusSeconds(60).toEpochMilli();
        Files.writeString(file, exp + " a\n" + exp + " b", StandardCharsets.UTF_8);
        try (FileReplayMemory m = FileReplayMemory.open(file, at(NOW))) {
            assertThat(m.size()).isEqualTo(1);
            assertThat(m.firstTime("b", NOW.plusSeconds(60))).isTrue();
        }
        Path bad = dir.resolve("bad.accepted");
        Files.writeString(bad, exp + " a\nsoon b\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FileReplayMemory.open(bad, at(NOW)))
                .isInstanceOf(IOException.class)
                .hasMessage(bad + " line 2 is not '<expires-at millis> <command id>'");
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }
}

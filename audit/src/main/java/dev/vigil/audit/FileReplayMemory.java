package dev.vigil.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ReplayMemory} in an append-only file ({@code <expires-at millis> <command id>} per
 * line), written and forced to disk before an id counts as accepted. Opening it drops the ids whose
 * command has expired and rewrites the file without them, so the file stays as small as the set of
 * live commands. A last line without its newline is an append that a crash interrupted before the
 * command was accepted, and is ignored; any other unreadable line stops the agent with its line
 * number, since an agent that cannot trust its memory must not accept commands.
 */
public final class FileReplayMemory implements ReplayMemory, AutoCloseable {

    private final Path file;
    private final Map<String, Instant> accepted;
    private final FileChannel channel;

    private FileReplayMemory(Path file, Map<String, Instant> accepted, FileChannel channel) {
        this.file = file;
        this.accepted = accepted;
        this.channel = channel;
    }

    /**
     * Opens (or creates) the memory in {@code file}, forgetting commands expired at {@code clock}.
     */
    public static FileReplayMemory open(Path file, Clock clock) throws IOException {
        Map<String, Instant> live = new HashMap<>();
        Instant now = clock.instant();
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            int complete = text.endsWith("\n") ? lines.size() : lines.size() - 1;
            for (int i = 0; i < complete; i++) {
                String line = lines.get(i);
                int space = line.indexOf(' ');
                Instant expires;
                try {
                    expires = Instant.ofEpochMilli(Long.parseLong(line.substring(0, space)));
                } catch (RuntimeException e) {
                    throw new IOException(
                            file
                                    + " line "
                                    + (i + 1)
                                    + " is not '<expires-at millis> <command id>'");
                }
                String id = line.substring(space + 1);
                if (id.isEmpty()) {
                    throw new IOException(file + " line " + (i + 1) + " has no command id");
                }
                if (now.isBefore(expires)) {
                    live.put(id, expires);
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        StringBuilder compacted = new StringBuilder();
        live.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        e ->
                                compacted
                                        .append(e.getValue().toEpochMilli())
                                        .append(' ')
                                        .append(e.getKey())
                                        .append('\n'));
        try (FileChannel out =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(compacted.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new FileReplayMemory(file, live, channel);
    }

    /** The ids remembered now. */
    public int size() {
        return accepted.size();
    }

    @Override
    public synchronized boolean firstTime(String commandId, Instant expiresAt) {
        if (commandId.indexOf('\n') >= 0 || commandId.isEmpty()) {
            throw new IllegalArgumentException("a command id is one non-empty line");
        }
        if (accepted.containsKey(commandId)) {
            return false;
        }
        byte[] line =
                (expiresAt.toEpochMilli() + " " + commandId + "\n")
                        .getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + commandId + " in " + file, e);
        }
        accepted.put(commandId, expiresAt);
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

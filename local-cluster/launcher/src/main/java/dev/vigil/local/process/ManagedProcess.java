package dev.vigil.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process started by the launcher, known by pid and by the marker argument it was started with.
 * Stopping checks the marker first, so a recycled pid of an unrelated process is never signalled;
 * nothing is ever stopped by name.
 */
public final class ManagedProcess {

    private final String role;
    private final String marker;
    private final ProcessHandle handle;
    private final Path logFile;

    ManagedProcess(String role, String marker, ProcessHandle handle, Path logFile) {
        this.role = role;
        this.marker = marker;
        this.handle = handle;
        this.logFile = logFile;
    }

    /** The argument that identifies a Vigil process of {@code role} under {@code dataDir}. */
    public static String marker(String role, Path dataDir) {
        return "-Dvigil.process=" + role + "@" + dataDir.toAbsolutePath().normalize();
    }

    /**
     * The process recorded in {@code pidFile}, if it is still alive and still the process that was
     * started for {@code role} under {@code dataDir}.
     */
    public static Optional<ManagedProcess> fromPidFile(
            Path pidFile, String role, Path dataDir, Path logFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        String marker = marker(role, dataDir);
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(h -> new ManagedProcess(role, marker, h, logFile));
    }

    public String role() {
        return role;
    }

    public long pid() {
        return handle.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /**
     * Asks the process to terminate (SIGTERM), waits up to {@code grace}, then kills it (SIGKILL).
     * Children it started are stopped the same way first.
     */
    public void stop(Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        if (!handle.info().commandLine().map(c -> c.contains(marker)).orElse(true)) {
            throw new LaunchException(
                    "pid "
                            + handle.pid()
                            + " is no longer the "
                            + role
                            + " process; not stopping it");
        }
        handle.descendants().forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception again) {
                throw new LaunchException(
                        "could not kill " + role + " (pid " + handle.pid() + ")", again);
            }
        }
    }

    /** The last {@code lines} lines of the process's log, for error messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (file == null || !Files.exists(file)) {
                return "(no log at " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            List<String> last =
                    new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
            return String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return role + " (pid " + pid() + ")";
    }
}

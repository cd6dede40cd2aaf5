package dev.vigil.local.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Restricts a secret file to its owner (where the file system has POSIX permissions). */
final class OwnerOnly {

    private OwnerOnly() {}

    static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    file,
                    PosixFilePermissions.fromString(
                            Files.isDirectory(file) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the data directory's own permissions apply
        }
    }
}

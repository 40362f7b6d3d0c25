package aurora.edge.gateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file the running gateway reads: the bytes are written beside it and moved over it in
 * one step, so the gateway never reads half a file. The replacement keeps the old file's
 * permissions and, where allowed, its owner and group, so a manifest installed by root stays
 * readable by the service user.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    static void replace(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path aside = Files.createTempFile(dir, "." + target.getFileName() + ".", ".new");
        try {
            Files.write(aside, bytes);
            keepAttributes(target, aside);
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    private static void keepAttributes(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null || !Files.exists(from)) {
            return;
        }
        PosixFileAttributes old = Files.readAttributes(from, PosixFileAttributes.class);
        view.setPermissions(old.permissions());
        try {
            view.setGroup(old.group());
            view.setOwner(old.owner());
        } catch (IOException e) {
            // Only root may give a file away; a file written by the owner itself keeps its owner anyway.
        }
    }
}

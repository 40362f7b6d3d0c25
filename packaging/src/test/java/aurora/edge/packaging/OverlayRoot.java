package aurora.edge.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway copy of this machine's root filesystem to install packages into: an overlay whose
 * lower layer is {@code /} and whose upper layer is a temp directory, mounted in a private mount
 * namespace for each command. dpkg, the maintainer scripts and the installed programs run for real
 * (with {@code dpkg --root} and {@code chroot}), and nothing reaches the host. Needs root.
 */
final class OverlayRoot {
    private final Path workDir;
    private final Path upper;
    private final Path work;
    private final Path root;

    OverlayRoot(Path tempDir) throws IOException {
        this.workDir = tempDir;
        this.upper = Files.createDirectories(tempDir.resolve("upper"));
        this.work = Files.createDirectories(tempDir.resolve("work"));
        this.root = Files.createDirectories(tempDir.resolve("root"));
    }

    static boolean available() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a shell script on the host side with the overlay mounted at {@code $R}; fails unless it exits 0. */
    String host(String script) throws IOException, InterruptedException {
        String mount = "set -e\n"
                + "R='" + root + "'\n"
                + "mount -t overlay overlay -o lowerdir=/,upperdir='" + upper + "',workdir='" + work + "' \"$R\"\n"
                + "mount -t proc proc \"$R/proc\"\n"
                + "mount --rbind /dev \"$R/dev\"\n";
        return Commands.ok(
                workDir, List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", mount + script));
    }

    /** Runs a shell command inside the overlay root (chroot); fails unless it exits 0. */
    String inside(String command) throws IOException, InterruptedException {
        return host("chroot \"$R\" sh -c '" + command.replace("'", "'\\''") + "'");
    }

    /** Runs {@code dpkg --root} with the given arguments, e.g. {@code -i file.deb}. */
    String dpkg(String args) throws IOException, InterruptedException {
        return host("dpkg --root=\"$R\" " + args);
    }
}

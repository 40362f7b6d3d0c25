package aurora.edge.gateway.docs;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a generated part of the repository's documentation equal to what the code says. A test
 * renders the text from the code and calls {@link #checkFile} or {@link #checkSection}: when the file differs, the test fails and
 * prints the regenerated text; run with {@code -Daurora.docs.write=true} ({@code make docs}) and the
 * file is rewritten instead. A part of a hand-written file sits between
 * {@code <!-- generated:NAME -->} and {@code <!-- end generated:NAME -->} lines.
 */
public final class GeneratedDoc {
    private static final boolean WRITE = Boolean.getBoolean("aurora.docs.write");

    private GeneratedDoc() {}

    /** The repository root, found upwards from the working directory (the module when Maven runs the test). */
    public static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("gateway"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with docs/ and gateway/) above "
                + Path.of("").toAbsolutePath());
    }

    /** Checks (or writes) a whole generated file, {@code relative} to the repository root. */
    public static void checkFile(String relative, String expected) {
        Path file = repositoryRoot().resolve(relative);
        String actual = Files.exists(file) ? read(file) : "";
        compare(file, actual, expected, expected);
    }

    /** Checks (or writes) the generated section {@code name} of a hand-written file. */
    public static void checkSection(String relative, String name, String expected) {
        Path file = repositoryRoot().resolve(relative);
        String text = read(file);
        String begin = "<!-- generated:" + name + " -->\n";
        String end = "<!-- end generated:" + name + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            fail(relative + " has no section between '" + begin.strip() + "' and '" + end + "' lines");
        }
        String actual = text.substring(from + begin.length(), to);
        String rewritten = text.substring(0, from + begin.length()) + expected + text.substring(to);
        compare(file, actual, expected, rewritten);
    }

    private static void compare(Path file, String actual, String expected, String whole) {
        if (actual.equals(expected)) {
            return;
        }
        if (WRITE) {
            try {
                Files.writeString(file, whole, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        fail(file + " is stale: regenerate it with `make docs` (or -Daurora.docs.write=true). It should read:\n"
                + expected);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Markdown table cell: pipes escaped, one line. */
    public static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }
}

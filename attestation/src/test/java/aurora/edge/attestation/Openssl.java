package aurora.edge.attestation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line in a directory, for cross-checks with a tool nobody here wrote. */
public final class Openssl {
    public static final Path BINARY = Path.of("/usr/bin/openssl");

    private final Path dir;

    public Openssl(Path dir) {
        this.dir = dir;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    public record Outcome(int exitCode, String output) {}

    /** Runs {@code openssl args...}; the output is stdout and stderr merged. */
    public Outcome run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish in 30 s: " + command);
        }
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Runs and insists on exit code 0, returning the output. */
    public String ok(String... args) throws IOException, InterruptedException {
        Outcome outcome = run(args);
        if (outcome.exitCode() != 0) {
            throw new AssertionError(
                    "openssl " + String.join(" ", args) + " exited " + outcome.exitCode() + ": " + outcome.output());
        }
        return outcome.output();
    }

    public Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    public Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }
}

package aurora.edge.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line to completion (bounded) and keeps its exit code and merged output. */
final class Commands {
    private static final long TIMEOUT_SECONDS = 300;

    record Result(int exitCode, String output) {}

    private Commands() {}

    static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after " + TIMEOUT_SECONDS + "s: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Like {@link #run} but fails with the command's output unless it exits 0. */
    static String ok(Path workDir, List<String> command) throws IOException, InterruptedException {
        Result r = run(workDir, command);
        if (r.exitCode() != 0) {
            throw new AssertionError("exit " + r.exitCode() + " from " + command + ":\n" + r.output());
        }
        return r.output();
    }
}

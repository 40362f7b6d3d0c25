package aurora.edge.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An MQTT-SN device that shares no code with the gateway: {@code src/test/c/sn-interop/paho_sn_client.c}
 * on Eclipse Paho's MQTTSNPacket library (vendored in {@code src/test/c/paho-mqttsn}) and OpenSSL's
 * DTLS 1.2 PSK client, built with the machine's {@code gcc} the first time a test needs it. The test
 * sends it one step at a time on its standard input (see the C file for the steps) and reads what the
 * device printed for that step.
 */
final class PahoSnDevice implements AutoCloseable {
    private static final Path SOURCES = Path.of("src/test/c");
    private static final Path BINARY = Path.of("target/paho-sn-client/paho_sn_client");
    private static final String END = "<end>";

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new CopyOnWriteArrayList<>();

    private PahoSnDevice(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readLines, "paho-sn-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the device against the gateway's MQTT-SN port: over DTLS with {@code psk} as the
     * pre-shared key for identity {@code clientId}, or over plain UDP when {@code psk} is null.
     */
    static PahoSnDevice start(int port, String clientId, byte @Nullable [] psk) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(binary().toAbsolutePath().toString(), "--port", Integer.toString(port), "--id", clientId));
        if (psk != null) {
            command.addAll(List.of("--psk", HexFormat.of().formatHex(psk)));
        }
        return new PahoSnDevice(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Runs one step and returns the lines the device printed for it. A step the device could not
     * finish (a timeout, a refused handshake) ends the process; its last lines are returned then.
     */
    List<String> step(String step, Duration timeout) throws IOException, InterruptedException {
        stdin.write((step + "\n").getBytes(UTF_8));
        stdin.flush();
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                out.add("NO ANSWER within " + timeout);
                return out;
            }
            if (line.equals("DONE") || line.equals(END)) {
                return out;
            }
            out.add(line);
            transcript.add(line);
        }
    }

    /** Every line the device printed for the steps so far. */
    List<String> transcript() {
        return List.copyOf(transcript);
    }

    /** The device's lines up to its exit, e.g. after a refused handshake. */
    List<String> linesUntilExit(Duration timeout) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line;
                (line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null
                        && !line.equals(END); ) {
            out.add(line);
        }
        return out;
    }

    /** The device's exit code once its standard input is closed (it exits after its last step). */
    int finish(Duration timeout) throws IOException, InterruptedException {
        stdin.close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ FAILED " + e);
        }
        lines.add(END);
    }

    /** Builds the device when its sources changed; `make test` installs gcc and libssl-dev with the servers. */
    private static synchronized Path binary() throws IOException {
        if (Files.isExecutable(BINARY) && Files.getLastModifiedTime(BINARY).compareTo(newestSource()) > 0) {
            return BINARY;
        }
        Files.createDirectories(BINARY.getParent());
        Path partial = Files.createTempFile(BINARY.getParent(), "paho_sn_client", ".tmp");
        List<String> gcc = new ArrayList<>(List.of(
                "gcc",
                "-std=c11",
                "-O2",
                "-w",
                "-I",
                SOURCES.resolve("paho-mqttsn").toString()));
        try (Stream<Path> paho = Files.list(SOURCES.resolve("paho-mqttsn"))) {
            paho.filter(p -> p.toString().endsWith(".c")).sorted().forEach(p -> gcc.add(p.toString()));
        }
        gcc.addAll(List.of(
                SOURCES.resolve("sn-interop/paho_sn_client.c").toString(),
                "-lssl",
                "-lcrypto",
                "-o",
                partial.toString()));
        Process build = new ProcessBuilder(gcc).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), UTF_8);
        try {
            if (build.waitFor() != 0) {
                throw new IOException("building the Paho MQTT-SN device failed (./scripts/install-deps installs gcc"
                        + " and libssl-dev): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the Paho MQTT-SN device", e);
        }
        Files.move(partial, BINARY, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return BINARY;
    }

    private static FileTime newestSource() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .max(FileTime::compareTo)
                    .orElseThrow();
        }
    }
}

package aurora.edge.firmware;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

/**
 * Regenerates the DEV sample images, manifest and endorsement list.
 *
 * <pre>
 * java -cp firmware-images/target/classes:attestation/target/classes:$(deps) \
 *     aurora.edge.firmware.GenerateSamples [OUTPUT_DIR] [--fleet-size N]
 * </pre>
 *
 * OUTPUT_DIR defaults to {@code firmware-images/src/main/resources/aurora/firmware}. The output is
 * deterministic, so rerunning it over the checked-in files changes nothing.
 */
public final class GenerateSamples {
    static final Path DEFAULT_OUTPUT = Path.of("firmware-images/src/main/resources/aurora/firmware");

    private GenerateSamples() {}

    public static void main(String[] args) throws IOException {
        Path output = DEFAULT_OUTPUT;
        int fleetSize = SampleFirmware.FLEET_SIZE;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--fleet-size") && i + 1 < args.length) {
                fleetSize = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("-")) {
                throw new IllegalArgumentException(
                        "usage: GenerateSamples [OUTPUT_DIR] [--fleet-size N], found " + args[i]);
            } else {
                output = Path.of(args[i]);
            }
        }
        SortedMap<String, byte[]> files = write(output, fleetSize);
        PrintStream out = System.out; // the one line a command-line tool exists to print
        out.println("wrote " + files.size() + " DEV ONLY sample files to " + output.toAbsolutePath());
    }

    /** Generates and writes every sample file under {@code output}; returns what it wrote. */
    static SortedMap<String, byte[]> write(Path output, int fleetSize) throws IOException {
        SortedMap<String, byte[]> files = new SampleGenerator(fleetSize).generate();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = output.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return files;
    }
}

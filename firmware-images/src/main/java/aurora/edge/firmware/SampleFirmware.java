package aurora.edge.firmware;

import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.endorsement.EndorsementReader;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * DEV SAMPLES: the generated images, manifest and endorsement list on the classpath under
 * {@code aurora/firmware/}, for tests, demos and the device simulator. Everything here is signed
 * with dev keys derived from a public seed; a production gateway must never trust them.
 */
public final class SampleFirmware {
    public static final String ROOT = "aurora/firmware/";
    /** nrf52840dk images are ECDSA P-256 signed, aurora-sensor-v1 images Ed25519 signed. */
    public static final List<String> BOARDS = List.of("nrf52840dk", "aurora-sensor-v1");

    public static final String MANIFEST = "manifest.json";
    public static final String ENDORSEMENTS = "endorsements.json";
    public static final String INDEX = "images/index.json";
    public static final String VENDOR_PUBLIC_KEY = "keys/DEV-ONLY-vendor-p256.pub.pem";
    /** Devices sim-00000 … sim-00999 are endorsed in the checked-in list. */
    public static final int FLEET_SIZE = 1000;

    private SampleFirmware() {}

    /** Every tenth simulated device (index ending in 9) is an nrf52840dk, the rest aurora-sensor-v1. */
    public static String boardOfSimDevice(int index) {
        return index % 10 == 9 ? BOARDS.get(0) : BOARDS.get(1);
    }

    /** A file under {@code aurora/firmware/}, e.g. {@code manifest.json.sig}. */
    public static byte[] resource(String path) {
        try (InputStream in = SampleFirmware.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample resource " + ROOT + path + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample resource " + ROOT + path, e);
        }
    }

    /** The DEV vendor key that signs the sample manifest and endorsement list. */
    public static VerifyingKey vendorKey() {
        return VerifyingKey.fromPem(new String(resource(VENDOR_PUBLIC_KEY), StandardCharsets.US_ASCII))
                .orElseThrow();
    }

    /** The sample manifest, verified with {@link #vendorKey()} (expires 2035). */
    public static Manifest manifest(Instant now) {
        return ManifestReader.read(resource(MANIFEST), resource(MANIFEST + ".sig"), vendorKey(), 0, now)
                .orElseThrow();
    }

    /** The endorsement list of the simulated fleet, verified with {@link #vendorKey()}. */
    public static EndorsementList endorsements() {
        return EndorsementReader.read(resource(ENDORSEMENTS), resource(ENDORSEMENTS + ".sig"), vendorKey(), 0)
                .orElseThrow();
    }

    public static List<SampleImage> images() {
        return SampleIndex.read(resource(INDEX));
    }

    /** The newest allowed image of {@code board}: what an honest simulated device runs. */
    public static SampleImage latestAllowed(String board) {
        return images().stream()
                .filter(i -> i.board().equals(board) && i.kind() == SampleKind.ALLOWED)
                .max(Comparator.comparing(SampleImage::version))
                .orElseThrow(() -> new IllegalArgumentException("no allowed sample image for board " + board));
    }

    /** The first sample of {@code board} made for {@code kind}. */
    public static SampleImage image(String board, SampleKind kind) {
        return images().stream()
                .filter(i -> i.board().equals(board) && i.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " sample image for board " + board));
    }

    public static byte[] bytes(SampleImage image) {
        return resource(image.file());
    }
}

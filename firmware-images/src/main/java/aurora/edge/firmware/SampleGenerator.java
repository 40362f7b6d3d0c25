package aurora.edge.firmware;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.endorsement.EndorsementWriter;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.AcceptedSigner;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import aurora.edge.attestation.manifest.ManifestWriter;
import aurora.edge.attestation.mcuboot.ImageBuilder;
import aurora.edge.attestation.mcuboot.ImageVersion;
import aurora.edge.attestation.mcuboot.McubootImage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds every sample file in memory, deterministically: keys are derived from a public dev
 * seed, ECDSA uses RFC 6979 and Ed25519 is deterministic, timestamps are fixed. Running it twice
 * gives the same bytes, which is what lets a test prove the checked-in files are reproducible.
 */
final class SampleGenerator {
    static final String SIGNING_SEED = "aurora-edge DEV ONLY firmware-images signing seed v1";
    static final Instant ISSUED_AT = Instant.parse("2025-06-01T00:00:00Z");
    static final Instant EXPIRES_AT = Instant.parse("2035-06-01T00:00:00Z");
    static final long MANIFEST_SEQUENCE = 1;
    static final long MIN_SECURITY_COUNTER = 1;
    private static final int BODY_SIZE = 6144;
    private static final String DEV_ONLY_BANNER =
            "DEV ONLY: derived from a public seed in the aurora-edge source. Never use in production.\n";

    private record Plan(String version, long securityCounter, SampleKind kind) {}

    private static final List<Plan> PLANS = List.of(
            new Plan("0.9.0", 0, SampleKind.BELOW_MINIMUM),
            new Plan("1.0.0", 1, SampleKind.REVOKED),
            new Plan("1.1.0", 1, SampleKind.ALLOWED),
            new Plan("1.1.1+7", 1, SampleKind.ALLOWED),
            new Plan("1.2.0", 2, SampleKind.ALLOWED),
            new Plan("1.2.0", 2, SampleKind.TAMPERED),
            new Plan("1.2.0", 2, SampleKind.UNKNOWN_KEY),
            new Plan("1.2.0", 2, SampleKind.MCUBOOT_EXAMPLE_KEY));

    private final int fleetSize;
    private final SampleKeys keys = new SampleKeys(new DevDeviceKeys(SIGNING_SEED));
    private final SortedMap<String, byte[]> files = new TreeMap<>();
    private final List<SampleImage> index = new ArrayList<>();

    SampleGenerator(int fleetSize) {
        if (fleetSize < 1 || fleetSize > 100_000) {
            throw new IllegalArgumentException("fleetSize must be in [1, 100000], found " + fleetSize);
        }
        this.fleetSize = fleetSize;
    }

    /** Relative path (under {@code aurora/firmware/}) to content, sorted by path. */
    SortedMap<String, byte[]> generate() {
        writeKeys();
        Map<String, BoardPolicy> boards = new LinkedHashMap<>();
        for (String board : SampleFirmware.BOARDS) {
            boards.put(board, new BoardPolicy(board, MIN_SECURITY_COUNTER, images(board)));
        }
        Manifest manifest = new Manifest(
                MANIFEST_SEQUENCE,
                ISSUED_AT,
                EXPIRES_AT,
                List.of(
                        AcceptedSigner.of(
                                keys.imageKey(SampleFirmware.BOARDS.get(0)).verifyingKey()),
                        AcceptedSigner.of(
                                keys.imageKey(SampleFirmware.BOARDS.get(1)).verifyingKey())),
                boards);
        signed(SampleFirmware.MANIFEST, ManifestWriter.write(manifest));
        signed(SampleFirmware.ENDORSEMENTS, EndorsementWriter.write(endorsements()));
        files.put(SampleFirmware.INDEX, SampleIndex.write(index));
        return files;
    }

    private List<ManifestImage> images(String board) {
        List<ManifestImage> listed = new ArrayList<>();
        for (Plan plan : PLANS) {
            SigningKey signer = switch (plan.kind()) {
                case UNKNOWN_KEY -> keys.unknown();
                case MCUBOOT_EXAMPLE_KEY -> keys.mcubootExample();
                default -> keys.imageKey(board);
            };
            ImageVersion version = ImageVersion.parse(plan.version());
            String label = plan.kind() == SampleKind.UNKNOWN_KEY || plan.kind() == SampleKind.MCUBOOT_EXAMPLE_KEY
                    ? plan.version() + "-" + plan.kind().json()
                    : plan.version();
            byte[] image = ImageBuilder.forBody(body(board, label))
                    .version(version)
                    .securityCounter(plan.securityCounter())
                    .sign(signer);
            McubootImage parsed = McubootImage.parse(image).orElseThrow();
            Sha256 hash = parsed.claimedHash().orElseThrow();
            if (plan.kind() == SampleKind.TAMPERED) {
                image[parsed.header().headerSize() + 100] ^= 0x20; // altered after signing
            }
            String file = "images/" + board + "/app-" + plan.version().replace('+', '_')
                    + (plan.kind().isListed() ? "" : "-" + plan.kind().json()) + ".signed.bin";
            files.put(file, image);
            index.add(new SampleImage(file, board, version, plan.securityCounter(), hash, plan.kind()));
            if (plan.kind().isListed()) {
                ImageStatus status = plan.kind() == SampleKind.REVOKED ? ImageStatus.REVOKED : ImageStatus.ALLOWED;
                String reason =
                        status == ImageStatus.REVOKED ? "DEV SAMPLE: revoked to exercise the REVOKED verdict" : "";
                listed.add(new ManifestImage(
                        hash,
                        version,
                        plan.securityCounter(),
                        image.length,
                        signer.verifyingKey().keyHash(),
                        status,
                        reason));
            }
        }
        return listed;
    }

    private EndorsementList endorsements() {
        DevDeviceKeys fleet = DevDeviceKeys.simFleet();
        List<EndorsedDevice> devices = new ArrayList<>(fleetSize);
        for (int i = 0; i < fleetSize; i++) {
            String id = DevDeviceKeys.simDeviceId(i);
            devices.add(new EndorsedDevice(
                    id,
                    SampleFirmware.boardOfSimDevice(i),
                    fleet.privateKeyFor(id).verifyingKey()));
        }
        return new EndorsementList(1, ISSUED_AT, devices);
    }

    private void writeKeys() {
        privateKey("keys/DEV-ONLY-vendor-p256", keys.vendor());
        privateKey("keys/DEV-ONLY-image-signing-p256", keys.imageKey(SampleFirmware.BOARDS.get(0)));
        privateKey("keys/DEV-ONLY-image-signing-ed25519", keys.imageKey(SampleFirmware.BOARDS.get(1)));
        privateKey("keys/DEV-ONLY-unknown-p256", keys.unknown());
        files.put(
                "keys/MCUBOOT-EXAMPLE-root-ec-p256.key.pem",
                text("PUBLISHED by mcu-tools/mcuboot (root-ec-p256.pem): anyone can sign with it. Deny-listed.\n"
                        + keys.mcubootExample().toPem()));
    }

    private void privateKey(String base, SigningKey key) {
        files.put(base + ".key.pem", text(DEV_ONLY_BANNER + key.toPem()));
        files.put(base + ".pub.pem", text(key.verifyingKey().toPem()));
    }

    private void signed(String path, byte[] json) {
        files.put(path, json);
        files.put(path + ".sig", keys.vendor().sign(json));
    }

    /** A recognisable, reproducible body: a banner, then SHA-256 in counter mode over a label. */
    static byte[] body(String board, String label) {
        byte[] body = new byte[BODY_SIZE];
        byte[] banner = ("AURORA DEV SAMPLE FIRMWARE board=" + board + " build=" + label + " NOT FOR PRODUCTION\0")
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(banner, 0, body, 0, banner.length);
        for (int offset = banner.length, block = 0; offset < BODY_SIZE; block++) {
            byte[] chunk = Sha256.of((board + "/" + label + "/" + block).getBytes(StandardCharsets.US_ASCII))
                    .bytes();
            int length = Math.min(chunk.length, BODY_SIZE - offset);
            System.arraycopy(chunk, 0, body, offset, length);
            offset += length;
        }
        return body;
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    /** The dev signing keys, each derived from the public seed under a fixed label. */
    record SampleKeys(DevDeviceKeys seed) {
        SigningKey vendor() {
            return seed.derive("vendor", KeyAlgorithm.ECDSA_P256);
        }

        /** nrf52840dk images are signed with ECDSA P-256, aurora-sensor-v1 images with Ed25519. */
        SigningKey imageKey(String board) {
            return board.equals(SampleFirmware.BOARDS.get(0))
                    ? seed.derive("image-signing-p256", KeyAlgorithm.ECDSA_P256)
                    : seed.derive("image-signing-ed25519", KeyAlgorithm.ED25519);
        }

        SigningKey unknown() {
            return seed.derive("unknown-p256", KeyAlgorithm.ECDSA_P256);
        }

        SigningKey mcubootExample() {
            return SigningKey.fromPem(MCUBOOT_ROOT_EC_P256).orElseThrow();
        }
    }

    /** mcu-tools/mcuboot root-ec-p256.pem, the example key the MCUboot docs say never to ship. */
    private static final String MCUBOOT_ROOT_EC_P256 = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEINeY1S+DASQ701QrflXtTHRhGQCw+VBagk/h6OwGO8/xoAoGCCqGSM49
            AwEHoUQDQgAEKstAPOj+7VukSZWhqR2u6Nu+GTfNFPsvJFc35ZU5iNmUudZa69fN
            1TCK1v5IskpqgQ7l8H2LaDTMOmr8U476wQ==
            -----END EC PRIVATE KEY-----
            """;
}

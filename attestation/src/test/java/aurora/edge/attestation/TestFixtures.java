package aurora.edge.attestation;

import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.AcceptedSigner;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import aurora.edge.attestation.mcuboot.ImageBuilder;
import aurora.edge.attestation.mcuboot.ImageVerifier;
import aurora.edge.attestation.mcuboot.ImageVersion;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic keys and images shared by the attestation tests. */
public final class TestFixtures {
    public static final DevDeviceKeys KEYS = new DevDeviceKeys("attestation unit tests");
    public static final SigningKey IMAGE_P256 = KEYS.derive("image-p256", KeyAlgorithm.ECDSA_P256);
    public static final SigningKey IMAGE_ED25519 = KEYS.derive("image-ed25519", KeyAlgorithm.ED25519);
    public static final SigningKey UNKNOWN_P256 = KEYS.derive("unknown-p256", KeyAlgorithm.ECDSA_P256);
    public static final SigningKey VENDOR = KEYS.derive("vendor-p256", KeyAlgorithm.ECDSA_P256);
    public static final SigningKey VENDOR_ED25519 = KEYS.derive("vendor-ed25519", KeyAlgorithm.ED25519);

    /**
     * mcu-tools/mcuboot root-ec-p256.pem: a published example key (its public half is in
     * sim/mcuboot-sys/csupport/keys.c). Deny-listed everywhere; here to prove that.
     */
    public static final String MCUBOOT_ROOT_EC_P256_PEM = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEINeY1S+DASQ701QrflXtTHRhGQCw+VBagk/h6OwGO8/xoAoGCCqGSM49
            AwEHoUQDQgAEKstAPOj+7VukSZWhqR2u6Nu+GTfNFPsvJFc35ZU5iNmUudZa69fN
            1TCK1v5IskpqgQ7l8H2LaDTMOmr8U476wQ==
            -----END EC PRIVATE KEY-----
            """;
    /** DER SPKI of mcu-tools/mcuboot root-ec-p256 and root-ed25519 (sim/mcuboot-sys/csupport/keys.c). */
    public static final String MCUBOOT_ROOT_EC_P256_SPKI =
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKstAPOj+7VukSZWhqR2u6Nu+GTfNFPsvJFc35ZU5iNmUudZa69fN1TCK1v5IskpqgQ7l8H2LaDTMOmr8U476wQ==";

    public static final String MCUBOOT_ROOT_ED25519_SPKI =
            "MCowBQYDK2VwAyEA1LMbpJo63T+CXRDKfzG1Cw3ofzfMxJ8aQDpcEyD/tOA=";

    private TestFixtures() {}

    public static SigningKey mcubootExampleKey() {
        return SigningKey.fromPem(MCUBOOT_ROOT_EC_P256_PEM).orElseThrow();
    }

    public static byte[] body(int size, long seed) {
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        return body;
    }

    /** An image as {@code imgtool sign --pad-header --header-size 0x200 -s N}. */
    public static ImageBuilder image(String version, long securityCounter) {
        return ImageBuilder.forBody(body(1500, version.hashCode()))
                .version(ImageVersion.parse(version))
                .securityCounter(securityCounter);
    }

    public static byte[] signedImage(SigningKey key, String version, long securityCounter) {
        return image(version, securityCounter).sign(key);
    }

    public static final Instant ISSUED = Instant.parse("2025-06-01T00:00:00Z");
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    public static final String BOARD = "aurora-sensor-v1";

    /** Manifest entry for an image, as the firmware tooling would list it. */
    public static ManifestImage entry(VerifiedImage image, ImageStatus status) {
        return new ManifestImage(
                image.hash(),
                image.version(),
                image.securityCounter(),
                image.size(),
                image.signer().keyHash(),
                status,
                status == ImageStatus.REVOKED ? "test revocation" : "");
    }

    /** A manifest with one board, accepting the P-256 and Ed25519 image keys. */
    public static Manifest manifest(long sequence, long minSecurityCounter, List<ManifestImage> images) {
        return new Manifest(
                sequence,
                ISSUED,
                ISSUED.plus(Duration.ofDays(3650)),
                List.of(AcceptedSigner.of(IMAGE_P256.verifyingKey()), AcceptedSigner.of(IMAGE_ED25519.verifyingKey())),
                Map.of(BOARD, new BoardPolicy(BOARD, minSecurityCounter, images)));
    }

    public static VerifiedImage verified(byte[] image) {
        return new ImageVerifier(List.of(IMAGE_P256.verifyingKey(), IMAGE_ED25519.verifyingKey()))
                .verify(image)
                .orElseThrow();
    }
}

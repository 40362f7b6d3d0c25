package aurora.edge.attestation.keys;

import aurora.edge.attestation.Sha256;
import java.util.Map;
import java.util.Optional;

/**
 * Signer keys that must never be trusted because their private half is public. Today: the
 * example keys shipped in the MCUboot repository (mcu-tools/mcuboot {@code root-*.pem}), which
 * docs/readme-zephyr.md says "should never be used for production, since the private key is
 * publicly available". Values are SHA-256 of the key's DER (SPKI for EC/Ed25519, PKCS#1 for RSA),
 * i.e. exactly the KEYHASH imgtool writes; a test recomputes the EC and Ed25519 ones.
 */
public final class KeyDenyList {
    private static final Map<Sha256, String> MCUBOOT_EXAMPLE_KEYS = Map.of(
            Sha256.fromHex("e30466f6b8470c1f29070b17f1e2d3e94d445e3f608087fdc711e4382bb538b6"),
            "MCUboot example key root-ec-p256.pem",
            Sha256.fromHex("c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c"),
            "MCUboot example key root-ed25519.pem",
            Sha256.fromHex("fc5701dc6135e1323847bdc40f04d2e5bee5833b23c29f93593d00018cfa9994"),
            "MCUboot example key root-rsa-2048.pem");

    private KeyDenyList() {}

    public static boolean isDenied(Sha256 keyHash) {
        return MCUBOOT_EXAMPLE_KEYS.containsKey(keyHash);
    }

    /** Why the key is denied, for messages and audit records; empty if it is not. */
    public static Optional<String> reason(Sha256 keyHash) {
        return Optional.ofNullable(MCUBOOT_EXAMPLE_KEYS.get(keyHash));
    }
}

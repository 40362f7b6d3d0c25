package aurora.edge.attestation.dev;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DEV ONLY. Derives private keys from a public seed, so a simulated fleet of any size needs no
 * key file: the device simulator rebuilds the key of {@code sim-01234} and the firmware-images
 * tool puts the matching public key in the dev endorsement list. Anyone who reads this source
 * can derive these keys, so they are worthless for real devices; never endorse them in
 * production. Derivation: {@code HMAC-SHA256(seed, "aurora-dev-key/v1/" + algorithm + "/" + label
 * + "/" + counter)}, taken as the Ed25519 seed, or as the P-256 scalar when it is in [1, n-1]
 * (else the counter goes up).
 */
public final class DevDeviceKeys {
    /** The seed of the simulated fleet in firmware-images. Public on purpose. */
    public static final String SIM_FLEET_SEED = "aurora-edge DEV ONLY simulated fleet seed v1";

    private static final BigInteger P256_ORDER =
            new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private final byte[] seed;

    public DevDeviceKeys(String seed) {
        if (seed.isEmpty()) {
            throw new IllegalArgumentException("seed must not be empty");
        }
        this.seed = seed.getBytes(StandardCharsets.UTF_8);
    }

    /** The keys of the simulated fleet whose public keys are in the dev endorsement list. */
    public static DevDeviceKeys simFleet() {
        return new DevDeviceKeys(SIM_FLEET_SEED);
    }

    /** {@code sim-00000} … {@code sim-99999}: the ids of the simulated fleet. */
    public static String simDeviceId(int index) {
        if (index < 0 || index > 99_999) {
            throw new IllegalArgumentException("index must be in [0, 99999], found " + index);
        }
        return String.format(Locale.ROOT, "sim-%05d", index);
    }

    /** DEV ONLY: the ECDSA P-256 identity key of {@code deviceId}. */
    public SigningKey privateKeyFor(String deviceId) {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        return derive("device/" + deviceId, KeyAlgorithm.ECDSA_P256);
    }

    /** DEV ONLY: any key derived from this seed and a label (tooling uses it for dev vendor keys). */
    public SigningKey derive(String label, KeyAlgorithm algorithm) {
        for (int counter = 0; ; counter++) {
            byte[] candidate = hmac("aurora-dev-key/v1/" + algorithm + "/" + label + "/" + counter);
            if (algorithm == KeyAlgorithm.ED25519) {
                return SigningKey.ed25519(candidate);
            }
            BigInteger scalar = new BigInteger(1, candidate);
            Arrays.fill(candidate, (byte) 0);
            if (scalar.signum() > 0 && scalar.compareTo(P256_ORDER) < 0) {
                return SigningKey.p256(scalar);
            }
        }
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}

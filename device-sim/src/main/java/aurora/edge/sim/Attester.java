package aurora.edge.sim;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.Nonce;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.keys.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A device's attestation answers (firmware-images/README.md, "Attestation messages"): evidence in the
 * {@code aurora-v1} layout signed by the device's identity key, an ECDSA P-256 key derived by
 * {@link DevDeviceKeys#simFleet()} (DEV ONLY; the sample endorsement list holds the public keys of
 * {@code sim-00000} … {@code sim-00999}). The key is derived on the first challenge, not at start, so 10,000 idle
 * devices hold no keys. Hostile variants: {@link Behaviour#WRONG_KEY} signs with a key nobody endorsed,
 * {@link Behaviour#REPLAYED_EVIDENCE} answers with an old answer to a challenge this gateway never issued;
 * firmware variants need nothing here, they only run another image.
 */
final class Attester {
    private static final DevDeviceKeys KEYS = DevDeviceKeys.simFleet();

    private final String deviceId;
    private final Behaviour behaviour;
    private final RunningFirmware firmware;
    private EvidenceSigner signer;
    private byte[] recorded;

    Attester(String deviceId, Behaviour behaviour, RunningFirmware firmware) {
        this.deviceId = deviceId;
        this.behaviour = behaviour;
        this.firmware = firmware;
    }

    RunningFirmware firmware() {
        return firmware;
    }

    /** The evidence JSON answering {@code challenge} at boot count {@code boot}. */
    byte[] answer(Challenge challenge, long boot) {
        if (behaviour == Behaviour.REPLAYED_EVIDENCE) {
            return replay(boot);
        }
        return signer().answer(challenge, firmware, boot & 0xFFFF_FFFFL).toJson();
    }

    /**
     * An answer recorded long ago, to a challenge with request id {@code replayed-1} and a nonce fixed per device:
     * correctly signed, but for nothing the gateway asked now.
     */
    byte[] replay(long boot) {
        if (recorded == null) {
            Nonce old = Nonce.of(Sha256.of(("old nonce of " + deviceId).getBytes(StandardCharsets.UTF_8)).bytes());
            Challenge stale = new Challenge("replayed-1", old, Instant.EPOCH);
            Evidence evidence = signer().answer(stale, firmware, Math.max(0, (boot & 0xFFFF_FFFFL) - 1));
            recorded = evidence.toJson();
        }
        return recorded.clone();
    }

    private EvidenceSigner signer() {
        if (signer == null) {
            signer = new EvidenceSigner(deviceId, behaviour == Behaviour.WRONG_KEY
                    ? KEYS.derive("unendorsed/" + deviceId, KeyAlgorithm.ECDSA_P256)
                    : KEYS.privateKeyFor(deviceId));
        }
        return signer;
    }
}

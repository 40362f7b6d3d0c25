package aurora.edge.sim;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.evidence.AuroraSocSigner;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.Nonce;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A device's attestation answers (firmware-images/README.md, "Attestation messages"), signed by the device's
 * identity key, an ECDSA P-256 key derived by {@link DevDeviceKeys#simFleet()} (DEV ONLY; the sample endorsement
 * list holds the public keys of {@code sim-00000} … {@code sim-00999}). In the {@code aurora-v1} protocol: our
 * evidence JSON. In the {@code aurorasoc} protocol, as stock AuroraSOC firmware: its JSON with a DER signature
 * over {@code device_id + firmware_hash + boot_count + nonce}, as an answer or as a periodic self-report without
 * a nonce. The key is derived on first use, not at start, so 10,000 idle devices hold no keys. Hostile variants:
 * {@link Behaviour#WRONG_KEY} signs with a key nobody endorsed, {@link Behaviour#REPLAYED_EVIDENCE} plays an old
 * answer again (aurora-v1: to a challenge this gateway never issued, and to every challenge; aurorasoc: an old
 * self-report of the previous boot, the honest answers go on); firmware variants need nothing here, they only run
 * another image.
 */
final class Attester {
    private static final DevDeviceKeys KEYS = DevDeviceKeys.simFleet();

    private final String deviceId;
    private final Behaviour behaviour;
    private final RunningFirmware firmware;
    private final EvidenceLayout protocol;
    private final String board;
    private EvidenceSigner signer;
    private AuroraSocSigner stockSigner;
    private byte[] recorded;

    Attester(String deviceId, Behaviour behaviour, RunningFirmware firmware, EvidenceLayout protocol, String board) {
        this.deviceId = deviceId;
        this.behaviour = behaviour;
        this.firmware = firmware;
        this.protocol = protocol;
        this.board = board;
    }

    RunningFirmware firmware() {
        return firmware;
    }

    /** The evidence JSON answering {@code challenge} at boot count {@code boot}. */
    byte[] answer(Challenge challenge, long boot) {
        if (protocol == EvidenceLayout.AURORASOC) {
            return stockSigner()
                    .answer(challenge, firmware.hash().hex(), boot, AuroraSocSigner.Encoding.DER)
                    .toJson();
        }
        if (behaviour == Behaviour.REPLAYED_EVIDENCE) {
            return replay(boot);
        }
        return signer().answer(challenge, firmware, boot & 0xFFFF_FFFFL).toJson();
    }

    /** Stock firmware's unsolicited report (no nonce), sent every few minutes. */
    byte[] selfReport(long boot) {
        return stockSigner()
                .sign(firmware.hash().hex(), boot, "", AuroraSocSigner.Encoding.DER)
                .toJson();
    }

    /**
     * An answer recorded long ago, correctly signed, for nothing the gateway asked now: aurora-v1, to a challenge
     * with request id {@code replayed-1} and a nonce fixed per device; aurorasoc, a self-report of the previous boot.
     */
    byte[] replay(long boot) {
        if (recorded == null) {
            long earlier = Math.max(0, (boot & 0xFFFF_FFFFL) - 1);
            if (protocol == EvidenceLayout.AURORASOC) {
                recorded = stockSigner()
                        .sign(firmware.hash().hex(), earlier, "", AuroraSocSigner.Encoding.DER)
                        .toJson();
            } else {
                Nonce old = Nonce.of(Sha256.of(("old nonce of " + deviceId).getBytes(StandardCharsets.UTF_8))
                        .bytes());
                Evidence evidence = signer().answer(new Challenge("replayed-1", old, Instant.EPOCH), firmware, earlier);
                recorded = evidence.toJson();
            }
        }
        return recorded.clone();
    }

    private EvidenceSigner signer() {
        if (signer == null) {
            signer = new EvidenceSigner(deviceId, key());
        }
        return signer;
    }

    private AuroraSocSigner stockSigner() {
        if (stockSigner == null) {
            stockSigner = new AuroraSocSigner(
                    deviceId,
                    key(),
                    board,
                    WireFormat.STOCK_FIRMWARE_STACK,
                    firmware.version().toString());
        }
        return stockSigner;
    }

    private SigningKey key() {
        return behaviour == Behaviour.WRONG_KEY
                ? KEYS.derive("unendorsed/" + deviceId, KeyAlgorithm.ECDSA_P256)
                : KEYS.privateKeyFor(deviceId);
    }
}

package aurora.edge.attestation.evidence;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.keys.EcdsaRaw;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import java.util.Objects;

/**
 * Device side of the {@code aurorasoc} layout: signs as stock AuroraSOC firmware does (the text
 * {@code device_id + firmware_hash + boot_count + nonce}, ECDSA P-256 over its SHA-256), for the
 * device simulator and tests. Known-answer tests check it against openssl, never against itself.
 */
public final class AuroraSocSigner {
    /** How {@code signature_hex} encodes the signature. */
    public enum Encoding {
        DER,
        RAW
    }

    private final String deviceId;
    private final SigningKey deviceKey;
    private final String boardFamily;
    private final String firmwareStack;
    private final String firmwareVersion;

    public AuroraSocSigner(
            String deviceId, SigningKey deviceKey, String boardFamily, String firmwareStack, String firmwareVersion) {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match " + DeviceId.RULE + ", found \"" + deviceId + "\"");
        }
        if (deviceKey.algorithm() != KeyAlgorithm.ECDSA_P256) {
            throw new IllegalArgumentException("deviceKey must be ECDSA P-256, found " + deviceKey.algorithm());
        }
        this.deviceId = deviceId;
        this.deviceKey = deviceKey;
        this.boardFamily = boardFamily;
        this.firmwareStack = firmwareStack;
        this.firmwareVersion = firmwareVersion;
    }

    /** The answer to a gateway challenge: its nonce echoed as the hex text it was sent as. */
    public AuroraSocEvidence answer(Challenge challenge, String firmwareHashHex, long bootCount, Encoding encoding) {
        return sign(firmwareHashHex, bootCount, challenge.nonce().hex(), encoding);
    }

    /** Signs any nonce text (empty for a self-report without one); simulators use it to misbehave on purpose. */
    public AuroraSocEvidence sign(String firmwareHashHex, long bootCount, String nonce, Encoding encoding) {
        Objects.requireNonNull(encoding, "encoding");
        AuroraSocEvidence unsigned = new AuroraSocEvidence(
                deviceId,
                firmwareHashHex,
                bootCount,
                nonce,
                boardFamily,
                firmwareStack,
                firmwareVersion,
                new byte[EcdsaRaw.LENGTH]);
        byte[] der = deviceKey.sign(unsigned.signedMessage());
        byte[] signature =
                encoding == Encoding.DER ? der : EcdsaRaw.fromDer(der).orElseThrow();
        return new AuroraSocEvidence(
                deviceId, firmwareHashHex, bootCount, nonce, boardFamily, firmwareStack, firmwareVersion, signature);
    }
}

package aurora.edge.attestation.evidence;

import aurora.edge.attestation.mcuboot.ImageVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The exact bytes an {@code aurora-v1} evidence signature covers (ECDSA P-256 with SHA-256 over
 * these bytes, DER signature). All integers are big-endian; the layout is fixed-width and starts
 * with a domain-separation prefix. (The {@code aurorasoc} layout is text: see
 * {@link AuroraSocEvidence#signedMessage()}.)
 *
 * <pre>
 * aurora-v1 (191 bytes)
 *   0  14  "AURORA-ATT-v1" + 0x00
 *  14   1  L = device_id length (1..64)
 *  15  64  device_id, ASCII, zero padded
 *  79  32  nonce
 * 111  32  firmware hash (TLV 0x10)
 * 143  32  signer KEYHASH (TLV 0x01)
 * 175   8  version: major u8, minor u8, revision u16, build u32
 * 183   4  security_counter u32
 * 187   4  boot_count u32
 * </pre>
 */
final class EvidenceMessage {
    static final byte[] CONTEXT = "AURORA-ATT-v1\0".getBytes(StandardCharsets.US_ASCII);
    static final int AURORA_V1_LENGTH = 191;
    private static final int DEVICE_ID_WIDTH = 64;

    private EvidenceMessage() {}

    static byte[] toBeSigned(Claims claims) {
        byte[] id = claims.deviceId().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(AURORA_V1_LENGTH);
        out.put(CONTEXT);
        out.put((byte) id.length);
        out.put(id);
        out.put(new byte[DEVICE_ID_WIDTH - id.length]);
        out.put(claims.nonce().bytes());
        out.put(claims.firmwareHash().bytes());
        out.put(claims.signer().bytes());
        ImageVersion v = claims.firmwareVersion();
        out.put((byte) v.major())
                .put((byte) v.minor())
                .putShort((short) v.revision())
                .putInt((int) v.build());
        out.putInt((int) claims.securityCounter());
        out.putInt((int) claims.bootCount());
        return out.array();
    }
}

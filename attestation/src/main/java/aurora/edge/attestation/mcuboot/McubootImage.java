package aurora.edge.attestation.mcuboot;

import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A structurally valid MCUboot image: header, body and TLV areas, as the bootloader lays them
 * out. Parsing checks structure only; {@link ImageVerifier} checks the hash and the signature.
 */
public final class McubootImage {
    /** Far above the 1 MB flash of an nRF52840; callers reading files should cap at this too. */
    public static final int MAX_IMAGE_BYTES = 16 * 1024 * 1024;

    private final byte[] bytes;
    private final ImageHeader header;
    private final List<Tlv> tlvs;

    McubootImage(byte[] bytes, ImageHeader header, List<Tlv> tlvs) {
        this.bytes = bytes;
        this.header = header;
        this.tlvs = tlvs;
    }

    /** Parses {@code bytes} (copied); every malformed input gives a typed problem. */
    public static Result<McubootImage> parse(byte[] bytes) {
        try {
            return Result.ok(ImageParser.parse(bytes));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    public ImageHeader header() {
        return header;
    }

    public ImageVersion version() {
        return header.version();
    }

    /** All TLVs, protected first, in file order. */
    public List<Tlv> tlvs() {
        return tlvs;
    }

    public Optional<Tlv> tlv(int type) {
        return tlvs.stream().filter(t -> t.type() == type).findFirst();
    }

    public byte[] value(Tlv tlv) {
        return Arrays.copyOfRange(bytes, tlv.valueOffset(), tlv.valueOffset() + tlv.length());
    }

    /** Length of the hashed and signed region: header, body and protected TLV area. */
    public int hashedLength() {
        return (int) (header.bodyEnd() + header.protectedTlvSize());
    }

    /** SHA-256 recomputed over the hashed region (what TLV 0x10 must equal). */
    public Sha256 computeHash() {
        return Sha256.of(bytes, 0, hashedLength());
    }

    /** The hashed region itself, which an ECDSA image signature covers. */
    public byte[] hashedRegion() {
        return Arrays.copyOf(bytes, hashedLength());
    }

    /** The value of TLV 0x10: the hash the image claims, and the value devices attest. */
    public Optional<Sha256> claimedHash() {
        return tlv(Tlv.SHA256).map(t -> Sha256.wrap(value(t)));
    }

    /** The signer's key hash: TLV 0x01, or the SHA-256 of TLV 0x02 (PUBKEY) when present. */
    public Optional<Sha256> signerKeyHash() {
        Optional<Tlv> keyHash = tlv(Tlv.KEYHASH);
        if (keyHash.isPresent()) {
            return keyHash.map(t -> Sha256.wrap(value(t)));
        }
        return tlv(Tlv.PUBKEY).map(t -> Sha256.of(value(t)));
    }

    /** TLV 0x50 (protected, so covered by the hash), read as an unsigned 32-bit counter. */
    public OptionalLong securityCounter() {
        Optional<Tlv> tlv = tlv(Tlv.SEC_CNT);
        if (tlv.isEmpty()) {
            return OptionalLong.empty();
        }
        byte[] v = value(tlv.get());
        return OptionalLong.of((v[0] & 0xffL) | (v[1] & 0xffL) << 8 | (v[2] & 0xffL) << 16 | (v[3] & 0xffL) << 24);
    }

    /** The whole file, as parsed. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }
}

package aurora.edge.attestation.mcuboot;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.keys.VerifyingKey;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a signed MCUboot image with the layout {@code imgtool sign --pad-header} produces:
 * {@code headerSize} bytes of 0xff with the 32-byte header over the start, the body, a protected
 * TLV area (SEC_CNT first, then any extra protected TLVs), and an unprotected area holding SHA256,
 * KEYHASH and the signature, in that order. For tooling and tests; gateways only verify.
 */
public final class ImageBuilder {
    private static final byte ERASED = (byte) 0xff;

    private final byte[] body;
    private ImageVersion version = new ImageVersion(0, 0, 0, 0);
    private int headerSize = 0x200;
    private long loadAddress;
    private long flags;
    private @Nullable Long securityCounter;
    private final List<byte[]> extraProtected = new ArrayList<>();

    private ImageBuilder(byte[] body) {
        this.body = body.clone();
    }

    public static ImageBuilder forBody(byte[] body) {
        return new ImageBuilder(body);
    }

    public ImageBuilder version(ImageVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /** Zephyr's {@code CONFIG_ROM_START_OFFSET}; imgtool {@code --header-size}. Default 0x200. */
    public ImageBuilder headerSize(int headerSize) {
        this.headerSize = headerSize;
        return this;
    }

    public ImageBuilder loadAddress(long loadAddress) {
        this.loadAddress = loadAddress;
        return this;
    }

    public ImageBuilder flags(long flags) {
        this.flags = flags;
        return this;
    }

    /** imgtool {@code --security-counter}; without it the image has no SEC_CNT TLV. */
    public ImageBuilder securityCounter(long securityCounter) {
        if (securityCounter < 0 || securityCounter > 0xffff_ffffL) {
            throw new IllegalArgumentException("securityCounter must be a u32, found " + securityCounter);
        }
        this.securityCounter = securityCounter;
        return this;
    }

    /** An extra protected TLV (imgtool {@code --custom-tlv}); covered by hash and signature. */
    public ImageBuilder protectedTlv(int type, byte[] value) {
        extraProtected.add(tlv(type, value));
        return this;
    }

    /** Signs with {@code key} as imgtool does: ECDSA over the hashed region, Ed25519 over its digest. */
    public byte[] sign(SigningKey key) {
        byte[] hashed = hashedRegion();
        byte[] message = key.algorithm() == KeyAlgorithm.ECDSA_P256
                ? hashed
                : Sha256.of(hashed).bytes();
        return assemble(hashed, key.verifyingKey(), key.sign(message));
    }

    /**
     * What an external signer (an HSM, openssl, imgtool {@code --fix-sig}) must sign: for ECDSA
     * P-256 these bytes with SHA-256, for Ed25519 the SHA-256 digest of these bytes.
     */
    public byte[] toBeSigned() {
        return hashedRegion();
    }

    /** The image with a signature made elsewhere over {@link #toBeSigned()}; not checked here. */
    public byte[] withSignature(VerifyingKey signer, byte[] signature) {
        return assemble(hashedRegion(), signer, signature);
    }

    private static byte[] assemble(byte[] hashed, VerifyingKey signer, byte[] signature) {
        int signatureType = signer.algorithm() == KeyAlgorithm.ECDSA_P256 ? Tlv.ECDSA_SIG : Tlv.ED25519;
        byte[] trailer = area(
                Tlv.INFO_MAGIC,
                List.of(
                        tlv(Tlv.SHA256, Sha256.of(hashed).bytes()),
                        tlv(Tlv.KEYHASH, signer.keyHash().bytes()),
                        tlv(signatureType, signature)));
        byte[] image = Arrays.copyOf(hashed, hashed.length + trailer.length);
        System.arraycopy(trailer, 0, image, hashed.length, trailer.length);
        return image;
    }

    private byte[] hashedRegion() {
        List<byte[]> protectedTlvs = new ArrayList<>();
        if (securityCounter != null) {
            protectedTlvs.add(tlv(Tlv.SEC_CNT, u32(securityCounter)));
        }
        protectedTlvs.addAll(extraProtected);
        byte[] protectedArea = protectedTlvs.isEmpty() ? new byte[0] : area(Tlv.PROTECTED_INFO_MAGIC, protectedTlvs);
        var header = new ImageHeader(loadAddress, headerSize, protectedArea.length, body.length, flags, version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] paddedHeader = new byte[headerSize];
        Arrays.fill(paddedHeader, ERASED);
        System.arraycopy(encode(header), 0, paddedHeader, 0, ImageHeader.SIZE);
        out.writeBytes(paddedHeader);
        out.writeBytes(body);
        out.writeBytes(protectedArea);
        return out.toByteArray();
    }

    private static byte[] encode(ImageHeader header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ImageHeader.SIZE);
        out.writeBytes(u32(ImageHeader.MAGIC));
        out.writeBytes(u32(header.loadAddress()));
        out.writeBytes(u16(header.headerSize()));
        out.writeBytes(u16(header.protectedTlvSize()));
        out.writeBytes(u32(header.imageSize()));
        out.writeBytes(u32(header.flags()));
        ImageVersion v = header.version();
        out.write(v.major());
        out.write(v.minor());
        out.writeBytes(u16(v.revision()));
        out.writeBytes(u32(v.build()));
        out.writeBytes(u32(0));
        return out.toByteArray();
    }

    private static byte[] area(int magic, List<byte[]> tlvs) {
        int total = Tlv.HEADER_SIZE + tlvs.stream().mapToInt(t -> t.length).sum();
        if (total > 0xffff) {
            throw new IllegalArgumentException("TLV area must be <= 65535 bytes, found " + total);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(total);
        out.writeBytes(u16(magic));
        out.writeBytes(u16(total));
        tlvs.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** imgtool packs the TLV header as {@code 'BBH'}: type, a zero pad byte, length. */
    private static byte[] tlv(int type, byte[] value) {
        if (type < 0 || type > 0xff || value.length > 0xffff) {
            throw new IllegalArgumentException("TLV type must be in [0, 255] and value <= 65535 bytes, found type "
                    + type + " length " + value.length);
        }
        byte[] out = new byte[Tlv.HEADER_SIZE + value.length];
        out[0] = (byte) type;
        out[2] = (byte) value.length;
        out[3] = (byte) (value.length >>> 8);
        System.arraycopy(value, 0, out, Tlv.HEADER_SIZE, value.length);
        return out;
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8)};
    }

    private static byte[] u32(long value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }
}

package aurora.edge.attestation.mcuboot;

import java.io.ByteArrayOutputStream;

/** Hand-assembles MCUboot images byte by byte, to build the malformed ones a builder refuses to. */
final class RawImage {
    static final byte[] BODY = {1, 2, 3, 4, 5, 6, 7, 8};

    private RawImage() {}

    static byte[] header(long magic, int headerSize, int protectedSize, long imageSize, long flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u32(magic));
        out.writeBytes(u32(0));
        out.writeBytes(u16(headerSize));
        out.writeBytes(u16(protectedSize));
        out.writeBytes(u32(imageSize));
        out.writeBytes(u32(flags));
        out.writeBytes(new byte[] {1, 2, 3, 0, 4, 0, 0, 0});
        out.writeBytes(u32(0));
        return out.toByteArray();
    }

    static byte[] tlv(int type, byte[] value) {
        return concat(u16(type), u16(value.length), value);
    }

    static byte[] area(int magic, byte[]... tlvs) {
        byte[] entries = concat(tlvs);
        return concat(u16(magic), u16(entries.length + 4), entries);
    }

    /** A 32-byte header, {@link #BODY}, then the given areas; header sizes match the areas. */
    static byte[] image(byte[] protectedArea, byte[] unprotectedArea) {
        return concat(
                header(ImageHeader.MAGIC, 32, protectedArea.length, BODY.length, 0),
                BODY,
                protectedArea,
                unprotectedArea);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8)};
    }

    static byte[] u32(long value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    static byte[] bytes(int length, int value) {
        byte[] out = new byte[length];
        java.util.Arrays.fill(out, (byte) value);
        return out;
    }
}

package aurora.edge.attestation.mcuboot;

/**
 * The 32-byte MCUboot {@code struct image_header} (little-endian). {@code headerSize} is where the
 * body starts: Zephyr reserves 0x200 or more, so it is always read, never assumed to be 32.
 */
public record ImageHeader(
        long loadAddress, int headerSize, int protectedTlvSize, long imageSize, long flags, ImageVersion version) {

    public static final long MAGIC = 0x96f3b83dL;
    public static final int SIZE = 32;
    public static final long FLAG_ENCRYPTED_AES128 = 0x04;
    public static final long FLAG_ENCRYPTED_AES256 = 0x08;
    public static final long FLAG_NON_BOOTABLE = 0x10;
    public static final long FLAG_RAM_LOAD = 0x20;
    public static final long FLAG_ROM_FIXED = 0x100;
    /** LZMA1, LZMA2 and ARM-thumb filter: the hash would cover the decompressed image. */
    public static final long FLAGS_COMPRESSED = 0x200 | 0x400 | 0x800;

    public ImageHeader {
        if (headerSize < SIZE || headerSize > 0xffff) {
            throw new IllegalArgumentException("headerSize must be in [32, 65535], found " + headerSize);
        }
        if (protectedTlvSize < 0 || protectedTlvSize > 0xffff) {
            throw new IllegalArgumentException("protectedTlvSize must be in [0, 65535], found " + protectedTlvSize);
        }
        if (imageSize < 0 || imageSize > 0xffff_ffffL) {
            throw new IllegalArgumentException("imageSize must be a u32, found " + imageSize);
        }
    }

    /** Offset of the first byte after the body: where the TLV areas begin. */
    public long bodyEnd() {
        return headerSize + imageSize;
    }
}

package aurora.edge.attestation.mcuboot;

/**
 * One TLV entry of an image trailer: its type, and where its value lies in the image bytes.
 * Values are read through {@link McubootImage#value(Tlv)} so no entry copies more than it needs.
 */
public record Tlv(int type, int valueOffset, int length, boolean isProtected) {
    public static final int KEYHASH = 0x01;
    public static final int PUBKEY = 0x02;
    public static final int SHA256 = 0x10;
    public static final int SHA384 = 0x11;
    public static final int SHA512 = 0x12;
    public static final int RSA2048_PSS = 0x20;
    public static final int ECDSA_SIG = 0x22;
    public static final int RSA3072_PSS = 0x23;
    public static final int ED25519 = 0x24;
    public static final int SIG_PURE = 0x25;
    public static final int DEPENDENCY = 0x40;
    public static final int SEC_CNT = 0x50;
    public static final int BOOT_RECORD = 0x60;

    /** {@code image_tlv_info.it_magic} of the unprotected area. */
    public static final int INFO_MAGIC = 0x6907;
    /** {@code image_tlv_info.it_magic} of the protected area (covered by the hash). */
    public static final int PROTECTED_INFO_MAGIC = 0x6908;

    public static final int HEADER_SIZE = 4;
}

package aurora.edge.attestation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 value: an MCUboot image hash (TLV 0x10), a key hash (TLV 0x01, SHA-256 of the DER
 * SubjectPublicKeyInfo) or a document digest. Immutable; equality is by content and constant time.
 */
public final class Sha256 {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Sha256(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Computes the SHA-256 of {@code data}. */
    public static Sha256 of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** Computes the SHA-256 of {@code data[offset, offset + length)}. */
    public static Sha256 of(byte[] data, int offset, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, offset, length);
        return new Sha256(digest.digest());
    }

    /** Wraps an existing 32-byte value (copied). */
    public static Sha256 wrap(byte[] value) {
        if (value.length != LENGTH) {
            throw new IllegalArgumentException("sha256 must be 32 bytes, found " + value.length);
        }
        return new Sha256(value.clone());
    }

    /**
     * Parses 64 lower-case hex digits, the one form the library writes; accepting upper case too
     * would give one value two spellings, and evidence JSON must have one spelling per value.
     */
    public static Sha256 fromHex(String hex) {
        if (hex.length() != 2 * LENGTH || !hex.chars().allMatch(Sha256::isHexDigit)) {
            throw new IllegalArgumentException(
                    "sha256 must be 64 lower-case hex digits, found " + ProblemException.quote(hex));
        }
        return new Sha256(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, the form used in every JSON document of the library. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sha256 that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}

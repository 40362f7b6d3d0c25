package aurora.edge.attestation.evidence;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The gateway's 32-byte challenge nonce. On the wire it is base64url without padding (43
 * characters) for {@code aurora-v1} devices and 64 lower-case hex digits for stock AuroraSOC
 * devices, whose firmware signs the nonce as text. Equality is constant time because the comparison with the issued nonce is a
 * security decision.
 */
public final class Nonce {
    public static final int LENGTH = 32;
    private static final int BASE64_LENGTH = 43;

    private final byte[] bytes;

    private Nonce(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh nonce; pass a {@link SecureRandom} (the library has no randomness of its own). */
    public static Nonce random(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new Nonce(bytes);
    }

    public static Nonce of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("nonce must be 32 bytes, found " + bytes.length);
        }
        return new Nonce(bytes.clone());
    }

    /** Parses unpadded base64url; throws {@link IllegalArgumentException} naming the problem. */
    public static Nonce fromBase64Url(String text) {
        if (text.length() != BASE64_LENGTH || !text.chars().allMatch(Nonce::isBase64UrlChar)) {
            throw new IllegalArgumentException("nonce must be 43 characters of unpadded base64url (32 bytes), found \""
                    + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "\"");
        }
        Nonce nonce = new Nonce(Base64.getUrlDecoder().decode(text));
        if (!nonce.base64Url().equals(text)) {
            // The last character carries 2 unused bits; only the canonical spelling is accepted.
            throw new IllegalArgumentException(
                    "nonce must be canonical base64url (unused bits zero), found \"" + text + "\"");
        }
        return nonce;
    }

    /** Parses 64 hex digits (either case: the device signs whatever spelling it echoes, the value is what counts). */
    public static Nonce fromHex(String text) {
        if (text.length() != 2 * LENGTH || !text.chars().allMatch(Nonce::isAsciiHex)) {
            throw new IllegalArgumentException("nonce must be 64 hex digits (32 bytes), found \""
                    + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"");
        }
        return new Nonce(HexFormat.of().parseHex(text));
    }

    private static boolean isAsciiHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isBase64UrlChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String base64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex, the spelling of the {@code aurorasoc} challenge. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Nonce that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return base64Url();
    }
}

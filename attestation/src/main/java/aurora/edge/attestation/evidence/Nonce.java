package aurora.edge.attestation.evidence;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The gateway's 32-byte challenge nonce. On the wire it is base64url without padding (43
 * characters). Equality is constant time because the comparison with the issued nonce is a
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
            throw new IllegalArgumentException("nonce must be canonical base64url (unused bits zero), found \"" + text + "\"");
        }
        return nonce;
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

package aurora.edge.gateway.broker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derived per-device passwords (ARCHITECTURE §5): username = device id, password =
 * base64url-without-padding(HMAC-SHA256(site key, device id)). A fleet needs no per-device table,
 * and a leaked password exposes only its own device.
 */
public final class DeviceCredentials {
    private final SecretKeySpec key;

    public DeviceCredentials(SiteKey siteKey) {
        this.key = new SecretKeySpec(siteKey.bytes(), "HmacSHA256");
    }

    public String passwordFor(String deviceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(deviceId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison, so response timing does not leak how much of a guess was right. */
    public boolean matches(String deviceId, byte[] password) {
        if (password == null) {
            return false;
        }
        byte[] expected = passwordFor(deviceId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, password);
    }
}

package aurora.edge.gateway.broker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derived per-device secrets (ARCHITECTURE §5): the secret is HMAC-SHA256(site key, device id).
 * On MQTT the username is the device id and the password the secret in base64url without padding;
 * on MQTT-SN over DTLS the PSK identity is the device id and the pre-shared key the secret's 32 raw
 * bytes (so the PSK is the MQTT password base64url-decoded). A fleet needs no per-device table, and
 * a leaked secret exposes only its own device.
 */
public final class DeviceCredentials {
    private final SecretKeySpec key;

    public DeviceCredentials(SiteKey siteKey) {
        this.key = new SecretKeySpec(siteKey.bytes(), "HmacSHA256");
    }

    public String passwordFor(String deviceId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(pskFor(deviceId));
    }

    /** The device's DTLS pre-shared key: the derived secret's raw 32 bytes (a fresh array). */
    public byte[] pskFor(String deviceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(deviceId.getBytes(StandardCharsets.UTF_8));
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

package aurora.edge.sim;

import aurora.edge.attestation.DeviceId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MQTT credentials of one device under the default scheme (ARCHITECTURE §5): username = client id =
 * {@code deviceId}, password = base64url without padding of HMAC-SHA256(site key, UTF-8 bytes of {@code deviceId}).
 */
public record DeviceCredentials(String deviceId, String password) {

    public DeviceCredentials {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match ^[A-Za-z0-9_-]{1,64}$, found: '" + deviceId + "'");
        }
        Objects.requireNonNull(password, "password");
    }

    /** Derives the credentials of {@code deviceId} from the site key bytes (see {@link SiteKeyFile#read}). */
    public static DeviceCredentials derive(byte[] siteKey, String deviceId) {
        Objects.requireNonNull(siteKey, "siteKey");
        if (siteKey.length == 0) {
            throw new IllegalArgumentException("siteKey must not be empty");
        }
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match ^[A-Za-z0-9_-]{1,64}$, found: '" + deviceId + "'");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(siteKey, "HmacSHA256"));
            byte[] tag = mac.doFinal(deviceId.getBytes(StandardCharsets.UTF_8));
            return new DeviceCredentials(
                    deviceId, Base64.getUrlEncoder().withoutPadding().encodeToString(tag));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** The MQTT username, which is the device id. */
    public String username() {
        return deviceId;
    }

    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", password=****]";
    }
}

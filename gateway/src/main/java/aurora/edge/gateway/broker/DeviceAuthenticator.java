package aurora.edge.gateway.broker;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.intake.RateLimiter;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.audit.RejectionReporter;
import io.moquette.broker.security.IAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's CONNECT check. Runs on a Netty IO thread, so it only computes an HMAC; and it never
 * throws, because an exception there would break the broker's connection handling.
 */
final class DeviceAuthenticator implements IAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(DeviceAuthenticator.class);

    private final DeviceCredentials credentials;
    private final RejectionReporter rejections;
    private final RateLimiter connects;

    DeviceAuthenticator(DeviceCredentials credentials, RejectionReporter rejections, RateLimiter connects) {
        this.credentials = credentials;
        this.rejections = rejections;
        this.connects = connects;
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        try {
            if (!DeviceId.isValid(clientId)) {
                rejections.reject(Rejection.CLIENT_ID_INVALID, clientId, "username=" + username);
                return false;
            }
            if (!clientId.equals(username) || !credentials.matches(clientId, password)) {
                rejections.reject(Rejection.AUTH_FAILED, clientId, "username_matches_client=" + clientId.equals(username));
                return false;
            }
            if (!connects.tryAcquire(clientId)) {
                rejections.reject(Rejection.CONNECT_RATE_LIMITED, clientId, "connect refused");
                return false;
            }
            return true;
        } catch (Throwable t) {
            log.error("authentication check failed, denying client_id={} error={}", clientId, t.toString());
            return false;
        }
    }
}

package aurora.edge.gateway.broker;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.intake.RateLimiter;
import io.moquette.broker.security.IAuthenticator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's CONNECT check. Runs on a Netty IO thread, so it only computes an HMAC; and it never
 * throws, because an exception there would break the broker's connection handling.
 *
 * <p>It also refuses a CONNECT whose last will is on any topic but the device's own sensor
 * topics. Moquette 0.17 publishes a will without asking the authorizer ({@code PostOffice.fireWill}),
 * both when the gateway disconnects the device and when its TCP connection just drops, so a will
 * on {@code aurora/command/{victim}/action} would reach the victim as a command. Refused here,
 * before CONNACK, Moquette never creates the session and never stores the will.
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
            ClientConnection connection = ClientConnection.current();
            if (connection == null) {
                // The CONNECT did not pass the gateway's gates (a connection accepted before they were installed).
                log.warn("connect refused, it did not pass the connection guard");
                return false;
            }
            if (!DeviceId.isValid(clientId)) {
                rejections.rejectStranger(Rejection.CLIENT_ID_INVALID, connection.address(), clientId, "");
                return false;
            }
            if (!clientId.equals(username) || !credentials.matches(clientId, password)) {
                rejections.rejectStranger(Rejection.AUTH_FAILED, connection.address(), clientId,
                        "username_matches_client=" + clientId.equals(username));
                return false;
            }
            if (!ownsWill(clientId, connection.willTopic())) {
                rejections.reject(Rejection.WILL_NOT_OWNED, clientId, "will_topic=" + connection.willTopic());
                return false;
            }
            if (!connects.tryAcquire(clientId)) {
                rejections.reject(Rejection.CONNECT_RATE_LIMITED, clientId, "connect refused");
                return false;
            }
            connection.authenticated(clientId);
            return true;
        } catch (Throwable t) {
            log.error("authentication check failed, denying error={}", t.toString());
            return false;
        }
    }

    /** No will, or a will on one of the device's own sensor topics (which no device can subscribe to). */
    static boolean ownsWill(String deviceId, String willTopic) {
        if (willTopic == null) {
            return true;
        }
        Optional<DeviceTopic> topic = DeviceTopic.parse(willTopic);
        return topic.isPresent() && topic.get().deviceId().equals(deviceId);
    }
}

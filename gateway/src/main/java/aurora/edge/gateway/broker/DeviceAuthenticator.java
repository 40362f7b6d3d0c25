package aurora.edge.gateway.broker;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.intake.RateLimiter;
import aurora.edge.gateway.tls.CertificateNames;
import io.moquette.broker.security.IAuthenticator;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's CONNECT check. Runs on a Netty IO thread, so it only computes an HMAC; and it never
 * throws, because an exception there would break the broker's connection handling.
 *
 * <p>A device authenticates with its derived password, or, on the TLS port, with its certificate:
 * the handshake already verified the chain (to {@code mqtt.tls.ca}, not revoked), and here one of
 * its names (CN, SAN) must be exactly the client id; the password is then not needed and not
 * looked at. Either way the id is then confined by {@link TopicPolicy}, and a device on the
 * revoked-device list is refused.
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
    private final Predicate<String> revoked;

    DeviceAuthenticator(
            DeviceCredentials credentials,
            RejectionReporter rejections,
            RateLimiter connects,
            Predicate<String> revoked) {
        this.credentials = credentials;
        this.rejections = rejections;
        this.connects = connects;
        this.revoked = revoked;
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
            X509Certificate certificate = connection.peerCertificate();
            if (certificate != null && !CertificateNames.names(certificate, clientId)) {
                rejections.rejectStranger(
                        Rejection.CERT_NAME_MISMATCH,
                        connection.address(),
                        clientId,
                        "certificate_names=" + CertificateNames.of(certificate));
                return false;
            }
            boolean credentialsGood = certificate != null || credentials.matches(clientId, password);
            if (!clientId.equals(username) || !credentialsGood) {
                rejections.rejectStranger(
                        Rejection.AUTH_FAILED,
                        connection.address(),
                        clientId,
                        "username_matches_client=" + clientId.equals(username));
                return false;
            }
            if (revoked.test(clientId)) {
                rejections.reject(Rejection.CERT_REVOKED, clientId, "device is on the revoked-device list");
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
    static boolean ownsWill(String deviceId, @Nullable String willTopic) {
        if (willTopic == null) {
            return true;
        }
        Optional<DeviceTopic> topic = DeviceTopic.parse(willTopic);
        return topic.isPresent() && topic.get().deviceId().equals(deviceId);
    }
}

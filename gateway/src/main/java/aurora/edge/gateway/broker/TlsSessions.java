package aurora.edge.gateway.broker;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.tls.CertificateRevoked;
import aurora.edge.gateway.tls.ServerTls;
import io.netty.channel.Channel;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open MQTT sessions authenticated by a device certificate, each held to the current TLS trust:
 * when the CRL, the CA bundle or the revoked-device list is reloaded every session is checked
 * again, and one whose certificate no longer passes is closed at once (and audited
 * {@code DEVICE_CERT_REVOKED}); the others stay up. Thread-safe: Netty threads add sessions, the
 * reload thread checks them.
 */
final class TlsSessions {
    private static final Logger log = LoggerFactory.getLogger(TlsSessions.class);

    private record Session(String deviceId, X509Certificate[] chain) {}

    private final @Nullable ServerTls tls;
    private final AuditLog audit;
    private final Map<Channel, Session> open = new ConcurrentHashMap<>();

    /** @param tls the TLS listener's trust; null when there is no TLS listener (then no session is ever added) */
    TlsSessions(@Nullable ServerTls tls, AuditLog audit) {
        this.tls = tls;
        this.audit = audit;
    }

    /** A CONNECT authenticated by {@code chain} was accepted on {@code channel}; checked once more, for a reload that ran during the CONNECT. */
    void opened(Channel channel, String deviceId, X509Certificate[] chain) {
        if (tls == null) {
            return;
        }
        Session session = new Session(deviceId, chain);
        open.put(channel, session);
        channel.closeFuture().addListener(f -> open.remove(channel));
        holdToTrust(channel, session);
    }

    /** After a reload: closes every session whose certificate the new trust refuses. */
    void recheck() {
        open.forEach(this::holdToTrust);
    }

    int size() {
        return open.size();
    }

    private void holdToTrust(Channel channel, Session session) {
        try {
            // Sessions are opened only on the TLS port, so there is a ServerTls.
            Objects.requireNonNull(tls, "mqtt.tls").check(session.chain());
        } catch (CertificateException e) {
            if (open.remove(channel) == null) {
                return;
            }
            channel.close();
            String serial = session.chain()[0].getSerialNumber().toString(16);
            String reason = e instanceof CertificateRevoked ? "revoked" : "no_longer_trusted";
            log.warn("tls session closed device_id={} serial={} reason={}", session.deviceId(), serial, reason);
            audit.record(
                    AuditCode.DEVICE_CERT_REVOKED,
                    session.deviceId(),
                    "device certificate revoked: session closed",
                    Map.of(
                            "action",
                            "session_closed",
                            "reason",
                            reason,
                            "serial",
                            serial,
                            "detail",
                            String.valueOf(e.getMessage())));
        }
    }
}

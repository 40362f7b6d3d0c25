package aurora.edge.gateway.mqttsn;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.device.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one DTLS 1.2 handshake: plain PSK (no certificates, no Diffie-Hellman: what
 * a coin-cell nRF52840 with mbedTLS or Zephyr can afford), the PSK identity is the device (or
 * relay) id, the key its derived secret. Before a key is handed out the identity must be a device
 * id and not on the revoked-device list, as on MQTT; otherwise bctls answers
 * {@code unknown_psk_identity}. A wrong key surfaces as {@code bad_record_mac} on the client's
 * Finished. One instance per handshake: it remembers what the client claimed and why it was refused.
 */
final class DtlsPskServer extends PSKTlsServer {
    /**
     * The suites offered, strongest first: CCM_8 is what constrained stacks prefer (RFC 7925), CBC-SHA256 the
     * mandatory one of mbedTLS's and Zephyr's PSK configurations; GCM and CCM for full stacks (openssl).
     */
    static final int[] SUITES = {
        CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
        CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_PSK_WITH_AES_128_CCM,
        CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256,
    };

    static final String SUITE_NAMES =
            "TLS_PSK_WITH_AES_128_CCM_8,TLS_PSK_WITH_AES_128_GCM_SHA256,TLS_PSK_WITH_AES_128_CCM,TLS_PSK_WITH_AES_128_CBC_SHA256";

    /** Longest identity string kept for the audit trail (the audit cuts it further). */
    private static final int MAX_CLAIM_CHARS = 129;

    private final int handshakeTimeoutMillis;
    private final Identities identities;
    private @Nullable String raisedAlert;

    DtlsPskServer(
            TlsCrypto crypto, Function<String, byte[]> pskOf, Predicate<String> revoked, int handshakeTimeoutMillis) {
        this(crypto, new Identities(pskOf, revoked), handshakeTimeoutMillis);
    }

    private DtlsPskServer(TlsCrypto crypto, Identities identities, int handshakeTimeoutMillis) {
        super(crypto, identities);
        this.identities = identities;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /** A ClientHello with a cookie is small; nothing in a PSK handshake comes near this. */
    @Override
    public int getMaxHandshakeMessageSize() {
        return 4096;
    }

    @Override
    public void notifyAlertRaised(
            short alertLevel, short alertDescription, @Nullable String message, @Nullable Throwable cause) {
        raisedAlert = AlertDescription.getName(alertDescription);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (raisedAlert == null) {
            raisedAlert = "received_" + AlertDescription.getName(alertDescription);
        }
    }

    /** The identity the key was handed out for (after a successful handshake: the authenticated id). */
    @Nullable
    String identity() {
        return identities.accepted;
    }

    /** What the client claimed as its identity (cut), or empty if it got no further than the ClientHello. */
    String claimed() {
        return identities.claimed == null ? "" : identities.claimed;
    }

    /** Why the identity was refused before the key exchange, or null if it was not. */
    @Nullable
    Rejection refusal() {
        return identities.refusal;
    }

    /** The alert that ended a failed handshake, or {@code none} (a timeout, a lost peer). */
    String alert() {
        return raisedAlert == null ? "none" : raisedAlert;
    }

    /** Hands out a key only for a well-formed, unrevoked device id. */
    private static final class Identities implements TlsPSKIdentityManager {
        private final Function<String, byte[]> pskOf;
        private final Predicate<String> revoked;
        private @Nullable String claimed;
        private @Nullable String accepted;
        private @Nullable Rejection refusal;

        Identities(Function<String, byte[]> pskOf, Predicate<String> revoked) {
            this.pskOf = pskOf;
            this.revoked = revoked;
        }

        @Override
        public byte @Nullable [] getHint() {
            return null;
        }

        @Override
        public byte @Nullable [] getPSK(byte[] identity) {
            // ISO-8859-1 maps every byte to one char, so an attacker's bytes can be cut and shown, never mis-decoded.
            String id =
                    new String(identity, 0, Math.min(identity.length, MAX_CLAIM_CHARS), StandardCharsets.ISO_8859_1);
            claimed = id;
            if (identity.length >= MAX_CLAIM_CHARS || !DeviceId.isValid(id)) {
                refusal = Rejection.CLIENT_ID_INVALID;
                return null;
            }
            if (revoked.test(id)) {
                refusal = Rejection.CERT_REVOKED;
                return null;
            }
            accepted = id;
            return pskOf.apply(id);
        }
    }
}

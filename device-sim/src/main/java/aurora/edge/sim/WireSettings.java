package aurora.edge.sim;

import aurora.edge.attestation.DeviceId;
import aurora.edge.sim.sn.SnCodec;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How every device of a fleet reaches the gateway.
 *
 * @param transport   the wire (default {@link WireTransport#MQTT_TCP})
 * @param snQos       MQTT-SN QoS of sequenced messages: 0, 1 (default) or −1 (−1 never in plaintext)
 * @param snPlaintext MQTT-SN over plain UDP instead of DTLS, against a gateway with {@code mqttsn.allow_plaintext}
 * @param relayId     the relay's own id on {@code mqttsn-relay} (default {@code esp32s3_gw_01})
 * @param tlsCa       PEM CA certificate(s) the gateway's TLS certificate chains to ({@code mqtt-tls})
 * @param tlsCerts    directory of {@code ID.pem} + {@code ID.key} per device, as {@code devices issue-cert ID --out
 *     DIR} writes them ({@code mqtt-tls})
 */
public record WireSettings(
        WireTransport transport,
        SnCodec.Qos snQos,
        boolean snPlaintext,
        String relayId,
        @Nullable Path tlsCa,
        @Nullable Path tlsCerts) {
    public static final String DEFAULT_RELAY = "esp32s3_gw_01";
    public static final WireSettings MQTT_TCP =
            new WireSettings(WireTransport.MQTT_TCP, SnCodec.Qos.AT_LEAST_ONCE, false, DEFAULT_RELAY, null, null);

    public WireSettings {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(snQos, "snQos");
        if (!DeviceId.isValid(relayId)) {
            throw new InvalidFleetSpecException("relayId", "'" + relayId + "'", "must match [A-Za-z0-9_-]{1,64}");
        }
        if (transport.isMqttSn() && snPlaintext && snQos == SnCodec.Qos.FIRE_AND_FORGET) {
            throw new InvalidFleetSpecException(
                    "snQos", -1, "QoS -1 needs an established DTLS association, never plaintext");
        }
        if (transport == WireTransport.MQTT_TLS && (tlsCa == null || tlsCerts == null)) {
            throw new InvalidFleetSpecException(
                    "tlsCerts",
                    tlsCerts,
                    "mqtt-tls needs the CA certificate and a directory of device certificates and keys");
        }
    }

    public static WireSettings of(WireTransport transport) {
        return new WireSettings(transport, SnCodec.Qos.AT_LEAST_ONCE, false, DEFAULT_RELAY, null, null);
    }

    public WireSettings withSnQos(SnCodec.Qos qos) {
        return new WireSettings(transport, qos, snPlaintext, relayId, tlsCa, tlsCerts);
    }

    public WireSettings withSnPlaintext(boolean plaintext) {
        return new WireSettings(transport, snQos, plaintext, relayId, tlsCa, tlsCerts);
    }

    public WireSettings withRelayId(String id) {
        return new WireSettings(transport, snQos, snPlaintext, id, tlsCa, tlsCerts);
    }

    public WireSettings withTls(Path ca, Path certs) {
        return new WireSettings(transport, snQos, snPlaintext, relayId, ca, certs);
    }

    /** The radio profile devices on this wire are charged for. */
    public Transport radioProfile() {
        return transport.radioProfile(snQos, snPlaintext);
    }
}

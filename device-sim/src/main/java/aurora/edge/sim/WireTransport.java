package aurora.edge.sim;

import aurora.edge.sim.sn.SnCodec;
import java.util.Locale;
import java.util.Optional;

/**
 * What the simulator speaks to the gateway ({@code --transport}, scenario {@code model.transport}), and the radio
 * profile a device on that wire is charged for by default (reference device-and-attestation.md §4.4, §5).
 */
public enum WireTransport {
    /** MQTT 3.1.1 over TCP with a derived password (the gateway's {@code mqtt.port}). */
    MQTT_TCP("mqtt-tcp", 1883),
    /** MQTT 3.1.1 over TLS with a device certificate (CN = device id; the gateway's {@code mqtt.tls_port}). */
    MQTT_TLS("mqtt-tls", 8883),
    /** MQTT-SN 1.2 over DTLS 1.2 with the device's PSK, each device its own association ({@code mqttsn.port}). */
    MQTTSN_DTLS("mqttsn-dtls", 1884),
    /** MQTT-SN 1.2 from the devices through one relay, forwarder encapsulation in the relay's own association. */
    MQTTSN_RELAY("mqttsn-relay", 1884);

    private final String wireName;
    private final int defaultPort;

    WireTransport(String wireName, int defaultPort) {
        this.wireName = wireName;
        this.defaultPort = defaultPort;
    }

    public String wireName() {
        return wireName;
    }

    /** The gateway's default port for this wire, used when {@code --broker} names none. */
    public int defaultPort() {
        return defaultPort;
    }

    public boolean isMqttSn() {
        return this == MQTTSN_DTLS || this == MQTTSN_RELAY;
    }

    /**
     * The radio profile a device on this wire is charged for. MQTT-SN devices: QoS 0 / −1 one frame, QoS 1 one more
     * poll for the PUBACK; with DTLS the record overhead on every packet (in {@code plaintext} lab mode none). A
     * relay's child talks to the relay over its local radio link, whose link-layer security the reference's
     * MQTT-SN figures already include; the relay, mains-powered, pays for DTLS.
     */
    public Transport radioProfile(SnCodec.Qos snQos, boolean snPlaintext) {
        boolean qos1 = snQos == SnCodec.Qos.AT_LEAST_ONCE;
        return switch (this) {
            case MQTT_TCP -> Transport.THREAD_MQTT_TCP_QOS1;
            case MQTT_TLS -> Transport.THREAD_MQTT_TLS_QOS1;
            case MQTTSN_DTLS ->
                snPlaintext
                        ? (qos1 ? Transport.THREAD_MQTTSN_QOS1 : Transport.THREAD_MQTTSN_QOS0)
                        : (qos1 ? Transport.THREAD_MQTTSN_DTLS_QOS1 : Transport.THREAD_MQTTSN_DTLS_QOS0);
            case MQTTSN_RELAY -> qos1 ? Transport.THREAD_MQTTSN_QOS1 : Transport.THREAD_MQTTSN_QOS0;
        };
    }

    /** By wire name ({@code mqtt-tcp}, ...), case-insensitive. */
    public static Optional<WireTransport> parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (WireTransport t : values()) {
            if (t.wireName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return "mqtt-tcp, mqtt-tls, mqttsn-dtls or mqttsn-relay";
    }
}

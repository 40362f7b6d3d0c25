package aurora.edge.gateway.device;

/**
 * Every reason the gateway refuses something a device sent. The name is the stable code that
 * appears as the metric tag {@code code}, in the audit event and in the logs; it never changes.
 */
public enum Rejection implements EventCode {
    AUTH_FAILED(Severity.MEDIUM, "wrong credentials, or client id and username differ"),
    CLIENT_ID_INVALID(Severity.MEDIUM, "client id does not match [A-Za-z0-9_-]{1,64}"),
    CERT_NAME_MISMATCH(
            Severity.HIGH, "on the TLS port, the device certificate names (CN, SAN) do not include the client id"),
    CERT_REVOKED(
            Severity.HIGH,
            "the device certificate is on the CRL, or the device is on the revoked-device list (devices revoke); "
                    + "a revoked device is refused on every listener"),
    TLS_HANDSHAKE_FAILED(
            Severity.MEDIUM,
            "a TLS handshake failed: no device certificate, one that does not chain to mqtt.tls.ca, "
                    + "an expired one, or no common protocol"),
    DTLS_HANDSHAKE_FAILED(
            Severity.MEDIUM,
            "an MQTT-SN DTLS handshake failed: wrong pre-shared key, an identity that is no device id, no common "
                    + "cipher suite, or not finished within mqttsn.dtls.handshake_timeout"),
    DTLS_HANDSHAKE_LIMITED(
            Severity.MEDIUM,
            "an MQTT-SN DTLS handshake was refused by a limit: mqttsn.dtls.handshakes_per_minute_per_address, "
                    + "mqttsn.dtls.max_handshakes_per_address, mqttsn.dtls.max_handshakes or mqttsn.dtls.max_associations"),
    DTLS_HELLO_VERIFY_LIMITED(
            Severity.MEDIUM,
            "a cookieless MQTT-SN DTLS ClientHello got no HelloVerifyRequest: mqttsn.dtls.hello_verify_per_second "
                    + "was spent (a flood of ClientHellos, possibly from spoofed addresses to reflect replies at a victim)"),
    CONNECT_RATE_LIMITED(
            Severity.MEDIUM,
            "the device reconnects faster than mqtt.max_connects_per_minute allows (a connection storm)"),
    TOPIC_NOT_OWNED(Severity.HIGH, "published under another device's id"),
    RELAY_NOT_BOUND(
            Severity.HIGH,
            "a relay published (or subscribed, or sent an MQTT-SN forwarder-encapsulated packet) for a device that is "
                    + "not bound to it (endorsement list relay:, or devices bind CHILD --relay RELAY); nothing of it is stored"),
    TOPIC_UNKNOWN(Severity.LOW, "published to a topic outside aurora/sensors/{id}/telemetry|alerts|attestation"),
    SUBSCRIPTION_NOT_OWNED(Severity.HIGH, "subscribed outside its own aurora/command/{id}/ topics"),
    WILL_NOT_OWNED(
            Severity.HIGH,
            "asked for a last will on a topic other than its own sensor topics (refused before CONNACK)"),
    QOS2_REFUSED(Severity.MEDIUM, "published at QoS 2, which the gateway does not take (the connection is closed)"),
    PAYLOAD_TOO_LARGE(Severity.LOW, "payload larger than intake.max_payload_bytes"),
    MALFORMED_JSON(Severity.LOW, "payload is not valid UTF-8 JSON"),
    NOT_A_JSON_OBJECT(Severity.LOW, "payload is JSON but not an object"),
    DEVICE_ID_MISMATCH(Severity.HIGH, "payload device_id differs from the authenticated device"),
    SEQUENCE_INVALID(Severity.LOW, "boot or seq is not a whole number (boot >= 0, seq >= 1)"),
    RATE_LIMITED(Severity.MEDIUM, "the device sends faster than intake.max_rate_per_device allows (a flood)"),
    OVERLOADED(Severity.MEDIUM, "the outbox writer is behind; the device keeps the message and resends it"),
    OUTBOX_FULL(
            Severity.HIGH,
            "the outbox is at its hard cap or the disk is nearly full; the device keeps the message and resends it"),
    DEVICE_QUOTA_EXCEEDED(
            Severity.HIGH,
            "the device's alerts, attestation answers and held data in the outbox are at outbox.device_quota_bytes; "
                    + "the device keeps the message and resends it once the sinks have taken its backlog"),
    DEVICE_NOT_ENDORSED(
            Severity.HIGH, "unknown device is not on the endorsement list (devices.registration_policy: endorsed)"),
    EVIDENCE_MALFORMED(Severity.MEDIUM, "attestation answer is not valid evidence JSON"),
    EVIDENCE_UNSOLICITED(
            Severity.MEDIUM,
            "attestation answer without a live challenge (an old answer replayed, or none was asked for)"),
    SN_MALFORMED(
            Severity.LOW,
            "an MQTT-SN datagram that is truncated, too long (mqttsn.max_packet_bytes), of an unknown type or "
                    + "otherwise malformed; dropped, never answered"),
    SN_NOT_CONNECTED(
            Severity.LOW,
            "an MQTT-SN packet that needs a session, from an address that has none (a QoS -1 PUBLISH is taken "
                    + "only inside a DTLS association); dropped, never answered"),
    SN_TOPIC_ID_INVALID(
            Severity.HIGH,
            "an MQTT-SN topic id or topic name that is not the device's own (another device's, or unregistered); "
                    + "answered `rejected: invalid topic ID`"),
    SN_WILL_UNSUPPORTED(
            Severity.LOW,
            "an MQTT-SN CONNECT asked for a last will, which the gateway does not take (`not supported`)"),
    SN_SESSION_LIMIT(
            Severity.MEDIUM,
            "an MQTT-SN CONNECT beyond mqttsn.max_sessions or mqttsn.max_sessions_per_address (`rejected: congestion`)"),
    IDENTITY_MISMATCH(
            Severity.HIGH, "an MQTT-SN CONNECT whose client id differs from the id its DTLS pre-shared key proved");

    private final Severity severity;
    private final String description;

    Rejection(Severity severity, String description) {
        this.severity = severity;
        this.description = description;
    }

    /**
     * True where the message was refused for want of room, not for what it is: the device keeps it
     * and a resend later may be stored. A client that only knows PUBACK must then get none (the
     * gateway closes its connection and it resends after reconnecting); for every other rejection a
     * resend would be refused again, so the PUBACK is sent anyway and the message is dropped.
     */
    public boolean deviceKeepsMessage() {
        return this == OVERLOADED || this == OUTBOX_FULL || this == DEVICE_QUOTA_EXCEEDED;
    }

    /** The stable code, e.g. {@code PAYLOAD_TOO_LARGE}. */
    @Override
    public String code() {
        return name();
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public String description() {
        return description;
    }
}

package aurora.edge.sim;

/**
 * The radio profile of a coin-cell nRF52840: how its packets reach the gateway over Thread, which decides the
 * radio charge of one message and of one attestation (reference device-and-attestation.md §4.4, §5). The wire the
 * simulator speaks is {@link WireTransport}; each wire has a default profile here, and a scenario may pick another
 * one (the energy model is what a real device on that profile would spend). Charges are built from the same inputs
 * as the reference's worked examples: an 802.15.4 frame costs {@link #FRAME_BASE_UC} plus 32 µs × 6.4 mA per byte
 * on air, a data poll {@link BatteryModel#POLL_UC}, sampling and encoding {@link BatteryModel#SAMPLE_UC}.
 */
public enum Transport {
    /** Thread + MQTT-SN over UDP, QoS 0: one frame. */
    THREAD_MQTTSN_QOS0(7, 0, 0, 0, false, 0),
    /** Thread + MQTT-SN over UDP, QoS 1: one frame and one poll for the PUBACK. */
    THREAD_MQTTSN_QOS1(7, 1, 0, 0, false, 0),
    /**
     * Thread 1.3 TCP + MQTT 3.1.1 QoS 1, what the simulator speaks on {@code mqtt-tcp}: fixed header, topic and
     * packet id, fragmented, two polls (PUBACK, TCP ACK), one TCP ACK frame and the TCP/IP stack's CPU time.
     */
    THREAD_MQTT_TCP_QOS1(6, 2, 1, 6.6, true, 0),
    /** MQTT-SN QoS 0 inside DTLS 1.2 (AES-128-CCM-8: 13-byte record header, 8-byte explicit nonce, 8-byte MIC). */
    THREAD_MQTTSN_DTLS_QOS0(7, 0, 0, 0, false, Transport.DTLS_RECORD),
    /** MQTT-SN QoS 1 inside DTLS 1.2. */
    THREAD_MQTTSN_DTLS_QOS1(7, 1, 0, 0, false, Transport.DTLS_RECORD),
    /** MQTT 3.1.1 QoS 1 inside TLS 1.3 (5-byte record header, content type, 16-byte AEAD tag). */
    THREAD_MQTT_TLS_QOS1(6, 2, 1, 6.6, true, Transport.TLS_RECORD);

    /** Wake, HFXO start, CCA and the ACK of one frame, µC: a 127-byte frame costs 40 µC [derived]. */
    static final double FRAME_BASE_UC = 14.0;
    /** 32 µs per byte at 250 kbps × 6.4 mA TX, µC. */
    static final double PER_BYTE_UC = 0.2048;
    /** Largest 802.15.4 PSDU. */
    static final int MAX_PSDU = 127;
    /** MAC header, security and FCS per frame. */
    static final int MAC_OVERHEAD = 23;
    /** 6LoWPAN fragment header, on every frame of a fragmented packet. */
    static final int FRAGMENT_HEADER = 5;
    /** Compressed IPv6 + UDP (MQTT-SN) headers. */
    static final int IP_UDP_OVERHEAD = 37;
    /** Compressed IPv6 + TCP headers. */
    static final int IP_TCP_OVERHEAD = 57;
    /** DTLS 1.2 record overhead with TLS_PSK_WITH_AES_128_CCM_8 [derived: RFC 6347 header 13 + RFC 6655 8 + 8]. */
    static final int DTLS_RECORD = 29;
    /** TLS 1.3 record overhead with an AEAD [derived: RFC 8446 header 5 + content type 1 + tag 16]. */
    static final int TLS_RECORD = 22;
    /** Attestation evidence (nonce, hash, version, counter, boot, DER signature) as a device encodes it, bytes. */
    static final int EVIDENCE_BYTES = 150;
    /** One ECDSA P-256 signature on CC310, µC [assumption, reference §4.4: to be measured]. */
    static final double SIGN_UC = 200.0;

    private final int protocolOverhead;
    private final int extraPolls;
    private final int ackFrames;
    private final double stackCpuUc;
    private final boolean tcp;
    private final int securityOverhead;

    Transport(
            int protocolOverhead, int extraPolls, int ackFrames, double stackCpuUc, boolean tcp, int securityOverhead) {
        this.protocolOverhead = protocolOverhead;
        this.extraPolls = extraPolls;
        this.ackFrames = ackFrames;
        this.stackCpuUc = stackCpuUc;
        this.tcp = tcp;
        this.securityOverhead = securityOverhead;
    }

    /** Bytes of the IP packet carrying one publish of {@code payloadBytes} on a topic of {@code topicBytes}. */
    int packetBytes(int payloadBytes, int topicBytes) {
        if (tcp) {
            return IP_TCP_OVERHEAD + securityOverhead + protocolOverhead + topicBytes + payloadBytes;
        }
        // MQTT-SN uses a 2-byte (predefined) topic id, in the header
        return IP_UDP_OVERHEAD + securityOverhead + protocolOverhead + payloadBytes;
    }

    /** Charge of sampling, encoding and sending one message, µC. */
    public double messageChargeMicroCoulombs(int payloadBytes, int topicBytes) {
        return BatteryModel.SAMPLE_UC + sendCharge(payloadBytes, topicBytes);
    }

    /**
     * Charge of one attestation answer, µC: the poll that fetched the challenge, the signature, and sending the
     * evidence on this profile (≈ 300 µC on MQTT-SN, the reference's Q_att).
     */
    public double attestationChargeMicroCoulombs(int topicBytes) {
        return BatteryModel.POLL_UC + SIGN_UC + sendCharge(EVIDENCE_BYTES, topicBytes);
    }

    /** Radio, acknowledgement polls and stack CPU of sending one packet, µC. */
    private double sendCharge(int payloadBytes, int topicBytes) {
        int packet = packetBytes(payloadBytes, topicBytes);
        int frames;
        int onAir;
        if (packet + MAC_OVERHEAD <= MAX_PSDU) {
            frames = 1;
            onAir = packet + MAC_OVERHEAD;
        } else {
            int perFrame = MAX_PSDU - MAC_OVERHEAD - FRAGMENT_HEADER;
            frames = (packet + perFrame - 1) / perFrame;
            onAir = packet + frames * (MAC_OVERHEAD + FRAGMENT_HEADER);
        }
        double radio = frames * FRAME_BASE_UC + onAir * PER_BYTE_UC;
        double acks = ackFrames * frameCharge(MAC_OVERHEAD + IP_TCP_OVERHEAD);
        return radio + extraPolls * BatteryModel.POLL_UC + acks + stackCpuUc;
    }

    static double frameCharge(int psduBytes) {
        return FRAME_BASE_UC + psduBytes * PER_BYTE_UC;
    }
}

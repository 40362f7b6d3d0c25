package aurora.edge.sim;

/**
 * How a coin-cell nRF52840 reaches the broker, which decides the radio charge of one message (reference
 * device-and-attestation.md §4.4, §5). CI traffic always goes over MQTT/TCP to the gateway; the profile only sets
 * what a message costs the battery. Charges are built from the same inputs as the reference's worked examples:
 * an 802.15.4 frame costs {@link #FRAME_BASE_UC} plus 32 µs × 6.4 mA per byte on air, a data poll
 * {@link BatteryModel#POLL_UC}, sampling and encoding {@link BatteryModel#SAMPLE_UC}.
 */
public enum Transport {
    /** Thread + MQTT-SN over UDP, QoS 0: one frame. */
    THREAD_MQTTSN_QOS0(7, 0, 0, 0),
    /** Thread + MQTT-SN over UDP, QoS 1: one frame and one poll for the PUBACK. */
    THREAD_MQTTSN_QOS1(7, 1, 0, 0),
    /**
     * Thread 1.3 TCP + MQTT 3.1.1 QoS 1, what the simulator actually speaks: fixed header, topic and packet id,
     * fragmented, two polls (PUBACK, TCP ACK), one TCP ACK frame and the TCP/IP stack's CPU time.
     */
    THREAD_MQTT_TCP_QOS1(6, 2, 1, 6.6);

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

    private final int protocolOverhead;
    private final int extraPolls;
    private final int ackFrames;
    private final double stackCpuUc;

    Transport(int protocolOverhead, int extraPolls, int ackFrames, double stackCpuUc) {
        this.protocolOverhead = protocolOverhead;
        this.extraPolls = extraPolls;
        this.ackFrames = ackFrames;
        this.stackCpuUc = stackCpuUc;
    }

    /** Bytes of the IP packet carrying one publish of {@code payloadBytes} on a topic of {@code topicBytes}. */
    int packetBytes(int payloadBytes, int topicBytes) {
        if (this == THREAD_MQTT_TCP_QOS1) {
            return IP_TCP_OVERHEAD + protocolOverhead + topicBytes + payloadBytes;
        }
        return IP_UDP_OVERHEAD + protocolOverhead + payloadBytes; // MQTT-SN uses a 2-byte topic id, in the header
    }

    /** Charge of sampling, encoding and sending one message, µC. */
    public double messageChargeMicroCoulombs(int payloadBytes, int topicBytes) {
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
        return BatteryModel.SAMPLE_UC + radio + extraPolls * BatteryModel.POLL_UC + acks + stackCpuUc;
    }

    static double frameCharge(int psduBytes) {
        return FRAME_BASE_UC + psduBytes * PER_BYTE_UC;
    }
}

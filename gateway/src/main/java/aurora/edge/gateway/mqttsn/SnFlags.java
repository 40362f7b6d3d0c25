package aurora.edge.gateway.mqttsn;

/**
 * The flags octet of CONNECT, WILLTOPIC, PUBLISH, SUBSCRIBE and SUBACK (MQTT-SN 1.2 §5.3.4).
 *
 * @param qos -1, 0, 1 or 2 (bits 6-5: 11 is QoS -1)
 * @param topicIdType {@link #NORMAL}, {@link #PREDEFINED}, {@link #SHORT_NAME} (3 is reserved and refused by the codec)
 */
record SnFlags(boolean dup, int qos, boolean retain, boolean will, boolean cleanSession, int topicIdType) {
    static final int NORMAL = 0;
    static final int PREDEFINED = 1;
    static final int SHORT_NAME = 2;
    static final SnFlags NONE = new SnFlags(false, 0, false, false, false, NORMAL);

    SnFlags {
        if (qos < -1 || qos > 2) {
            throw new IllegalArgumentException("qos must be -1..2, found " + qos);
        }
        if (topicIdType < 0 || topicIdType > 2) {
            throw new IllegalArgumentException("topicIdType must be 0..2, found " + topicIdType);
        }
    }

    static SnFlags decode(int b) throws SnMalformed {
        int type = b & 0x03;
        if (type == 3) {
            throw new SnMalformed("reserved topic id type");
        }
        int qosBits = (b >> 5) & 0x03;
        return new SnFlags(
                (b & 0x80) != 0, qosBits == 3 ? -1 : qosBits, (b & 0x10) != 0, (b & 0x08) != 0, (b & 0x04) != 0, type);
    }

    int encode() {
        int qosBits = qos == -1 ? 3 : qos;
        return (dup ? 0x80 : 0)
                | (qosBits << 5)
                | (retain ? 0x10 : 0)
                | (will ? 0x08 : 0)
                | (cleanSession ? 0x04 : 0)
                | topicIdType;
    }

    static SnFlags publish(int qos, int topicIdType, boolean dup) {
        return new SnFlags(dup, qos, false, false, false, topicIdType);
    }
}

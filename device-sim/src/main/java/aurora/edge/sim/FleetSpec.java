package aurora.edge.sim;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.EvidenceLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What fleet to simulate. Validated on construction; an {@link InvalidFleetSpecException} names the field and the
 * bad value. Build with {@link #builder(String, int, byte[])}, which fills in the defaults below.
 *
 * @param host broker host
 * @param port broker port, 1..65535
 * @param siteKey site device key bytes (see {@link SiteKeyFile}); at least 16 bytes; copied
 * @param deviceCount number of devices, 1..100,000 (default 1)
 * @param idPrefix device ids are {@code idPrefix} + a zero-padded index of at least 5 digits, e.g. {@code sim-00000}
 *     (default {@code sim-})
 * @param firstIndex the index of the first device, 0..999,999 (default 0): {@code sim-00050} onwards with 50, so a
 *     second fleet (another transport) takes other ids of the same endorsement list
 * @param messagesPerSecondPerDevice wake-ups per simulated second per device, each producing one message;
 *     (0, 1000], and at most 1000 per real second once accelerated (default 1.0)
 * @param alertShare share of messages that are alerts, 0..1; spread evenly (every 1/share-th message), not random
 *     (default 0.02)
 * @param ringCapacity unacknowledged messages a device keeps in RAM, 1..1,000,000; when full the oldest is dropped
 *     and counted (default 256)
 * @param seed seed of the readings and of the phase of each device; same seed, same readings (default 1)
 * @param duration how long devices produce messages, in simulated time; null = until
 *     {@link Fleet#stopPublishing()} or close
 * @param maxMessagesPerDevice a device stops producing after this many messages, null = no limit
 * @param boot boot count every device reports (seq restarts at 1 for each boot), 0..4294967295; null = the epoch
 *     second at which the fleet starts, so consecutive runs against one gateway never reuse message ids
 * @param maxConcurrentConnects CONNECTs in flight at once across the fleet, 1..10,000 (default 50)
 * @param reconnect delays between connect attempts (default {@link Backoff#DEFAULT})
 * @param acceleration simulated seconds per real second, (0, 1,000,000] (default 1: real time); the network
 *     (acks, reconnects, latencies) stays real
 * @param model battery, poll period and transport of every device (default {@link DeviceModel#DEFAULT})
 * @param hostile which devices misbehave and how, applied in order, one behaviour per device (default none)
 * @param protocol the attestation protocol every device's firmware speaks (default {@code aurora-v1}); with
 *     {@code aurorasoc} devices behave like stock AuroraSOC firmware: they subscribe to
 *     {@code aurora/attestation/{id}/request}, answer on {@code .../response} in AuroraSOC's JSON with a DER
 *     signature, report unsolicited every 5 simulated minutes and describe themselves under AuroraSOC's names
 * @param wire how the devices reach the gateway: MQTT over TCP or TLS, MQTT-SN over DTLS or through a relay
 *     (default {@link WireSettings#MQTT_TCP})
 */
public record FleetSpec(
        String host,
        int port,
        byte[] siteKey,
        int deviceCount,
        String idPrefix,
        int firstIndex,
        double messagesPerSecondPerDevice,
        double alertShare,
        int ringCapacity,
        long seed,
        Duration duration,
        Long maxMessagesPerDevice,
        Long boot,
        int maxConcurrentConnects,
        Backoff reconnect,
        double acceleration,
        DeviceModel model,
        List<HostileRule> hostile,
        EvidenceLayout protocol,
        WireSettings wire) {

    public static final int MAX_DEVICES = 100_000;
    public static final double MAX_RATE = 1000.0;
    public static final long MAX_BOOT = 0xFFFF_FFFFL;
    public static final double MAX_ACCELERATION = 1_000_000;
    public static final int MAX_FIRST_INDEX = 999_999;
    private static final int MIN_INDEX_DIGITS = 5;

    public FleetSpec {
        if (host == null || host.isBlank()) {
            throw new InvalidFleetSpecException("host", host == null ? null : "'" + host + "'", "must not be blank");
        }
        check(port >= 1 && port <= 65535, "port", port, "must be between 1 and 65535");
        if (siteKey == null || siteKey.length < SiteKeyFile.MIN_KEY_BYTES) {
            throw new InvalidFleetSpecException(
                    "siteKey",
                    siteKey == null ? "null" : siteKey.length + " bytes",
                    "must have at least " + SiteKeyFile.MIN_KEY_BYTES + " bytes");
        }
        siteKey = siteKey.clone();
        check(
                deviceCount >= 1 && deviceCount <= MAX_DEVICES,
                "deviceCount",
                deviceCount,
                "must be between 1 and " + MAX_DEVICES);
        check(
                firstIndex >= 0 && firstIndex <= MAX_FIRST_INDEX,
                "firstIndex",
                firstIndex,
                "must be between 0 and " + MAX_FIRST_INDEX);
        if (idPrefix == null
                || !(idPrefix.isEmpty() || DeviceId.isValid(idPrefix))
                || idPrefix.length() + indexDigits(firstIndex + deviceCount) > 64) {
            throw new InvalidFleetSpecException(
                    "idPrefix",
                    idPrefix == null ? null : "'" + idPrefix + "'",
                    "must be [A-Za-z0-9_-]* and leave room for the index within 64 characters");
        }
        check(
                Double.isFinite(messagesPerSecondPerDevice)
                        && messagesPerSecondPerDevice > 0
                        && messagesPerSecondPerDevice <= MAX_RATE,
                "messagesPerSecondPerDevice",
                messagesPerSecondPerDevice,
                "must be > 0 and <= " + MAX_RATE);
        check(
                Double.isFinite(alertShare) && alertShare >= 0 && alertShare <= 1,
                "alertShare",
                alertShare,
                "must be between 0 and 1");
        check(
                ringCapacity >= 1 && ringCapacity <= 1_000_000,
                "ringCapacity",
                ringCapacity,
                "must be between 1 and 1000000");
        check(
                duration == null || (!duration.isNegative() && !duration.isZero()),
                "duration",
                duration,
                "must be > 0 (or null for no limit)");
        check(
                maxMessagesPerDevice == null || maxMessagesPerDevice >= 1,
                "maxMessagesPerDevice",
                maxMessagesPerDevice,
                "must be >= 1 (or null for no limit)");
        check(
                boot == null || (boot >= 0 && boot <= MAX_BOOT),
                "boot",
                boot,
                "must be between 0 and " + MAX_BOOT + " (or null for the start second)");
        check(
                maxConcurrentConnects >= 1 && maxConcurrentConnects <= 10_000,
                "maxConcurrentConnects",
                maxConcurrentConnects,
                "must be between 1 and 10000");
        Objects.requireNonNull(reconnect, "reconnect");
        check(
                Double.isFinite(acceleration) && acceleration > 0 && acceleration <= MAX_ACCELERATION,
                "acceleration",
                acceleration,
                "must be > 0 and <= " + MAX_ACCELERATION);
        check(
                messagesPerSecondPerDevice * acceleration <= MAX_RATE,
                "acceleration",
                acceleration,
                "times messagesPerSecondPerDevice (" + messagesPerSecondPerDevice + ") must be <= " + MAX_RATE
                        + " messages per real second per device");
        Objects.requireNonNull(model, "model");
        hostile = List.copyOf(hostile);
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(wire, "wire");
        for (HostileRule rule : hostile) {
            for (int index : rule.devices()) {
                check(
                        index < deviceCount,
                        "hostile",
                        rule.behaviour().wireName() + " device " + index,
                        "must name device indices below deviceCount (" + deviceCount + ")");
            }
        }
    }

    public static Builder builder(String host, int port, byte[] siteKey) {
        return new Builder(host, port, siteKey);
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] siteKey() {
        return siteKey.clone();
    }

    /** The id of device {@code index} (0-based). */
    public String deviceId(int index) {
        if (index < 0 || index >= deviceCount) {
            throw new IndexOutOfBoundsException(
                    "index must be between 0 and " + (deviceCount - 1) + ", found: " + index);
        }
        String digits = Integer.toString(firstIndex + index);
        int width = indexDigits(firstIndex + deviceCount);
        StringBuilder id = new StringBuilder(idPrefix.length() + width).append(idPrefix);
        for (int i = digits.length(); i < width; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetSpec f
                && port == f.port
                && deviceCount == f.deviceCount
                && firstIndex == f.firstIndex
                && Double.compare(messagesPerSecondPerDevice, f.messagesPerSecondPerDevice) == 0
                && Double.compare(alertShare, f.alertShare) == 0
                && ringCapacity == f.ringCapacity
                && seed == f.seed
                && maxConcurrentConnects == f.maxConcurrentConnects
                && host.equals(f.host)
                && Arrays.equals(siteKey, f.siteKey)
                && idPrefix.equals(f.idPrefix)
                && Objects.equals(duration, f.duration)
                && Objects.equals(maxMessagesPerDevice, f.maxMessagesPerDevice)
                && Objects.equals(boot, f.boot)
                && reconnect.equals(f.reconnect)
                && Double.compare(acceleration, f.acceleration) == 0
                && model.equals(f.model)
                && hostile.equals(f.hostile)
                && protocol == f.protocol
                && wire.equals(f.wire);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                host,
                port,
                Arrays.hashCode(siteKey),
                deviceCount,
                idPrefix,
                firstIndex,
                messagesPerSecondPerDevice,
                alertShare,
                ringCapacity,
                seed,
                duration,
                maxMessagesPerDevice,
                boot,
                maxConcurrentConnects,
                reconnect,
                acceleration,
                model,
                hostile,
                protocol,
                wire);
    }

    /** Everything but the key, which shows as its length only. */
    @Override
    public String toString() {
        return "FleetSpec[host=" + host + ", port=" + port + ", siteKey=<" + siteKey.length + " bytes>, deviceCount="
                + deviceCount + ", idPrefix=" + idPrefix + ", firstIndex=" + firstIndex
                + ", messagesPerSecondPerDevice=" + messagesPerSecondPerDevice
                + ", alertShare=" + alertShare + ", ringCapacity=" + ringCapacity + ", seed=" + seed + ", duration="
                + duration + ", maxMessagesPerDevice=" + maxMessagesPerDevice + ", boot=" + boot
                + ", maxConcurrentConnects=" + maxConcurrentConnects + ", reconnect=" + reconnect + ", acceleration="
                + acceleration + ", model=" + model + ", hostile=" + hostile + ", protocol=" + protocol.json()
                + ", wire=" + wire
                + "]";
    }

    private static int indexDigits(int deviceCount) {
        return Math.max(
                MIN_INDEX_DIGITS, Integer.toString(Math.max(0, deviceCount - 1)).length());
    }

    private static void check(boolean ok, String field, Object value, String problem) {
        if (!ok) {
            throw new InvalidFleetSpecException(field, value, problem);
        }
    }

    /** Fills in the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final byte[] siteKey;
        private int deviceCount = 1;
        private String idPrefix = "sim-";
        private int firstIndex;
        private double messagesPerSecondPerDevice = 1.0;
        private double alertShare = 0.02;
        private int ringCapacity = 256;
        private long seed = 1;
        private Duration duration;
        private Long maxMessagesPerDevice;
        private Long boot;
        private int maxConcurrentConnects = 50;
        private Backoff reconnect = Backoff.DEFAULT;
        private double acceleration = 1.0;
        private DeviceModel model = DeviceModel.DEFAULT;
        private boolean modelSet;
        private List<HostileRule> hostile = List.of();
        private EvidenceLayout protocol = EvidenceLayout.AURORA_V1;
        private WireSettings wire = WireSettings.MQTT_TCP;

        private Builder(String host, int port, byte[] siteKey) {
            this.host = host;
            this.port = port;
            this.siteKey = siteKey == null ? null : siteKey.clone();
        }

        public Builder deviceCount(int deviceCount) {
            this.deviceCount = deviceCount;
            return this;
        }

        public Builder idPrefix(String idPrefix) {
            this.idPrefix = idPrefix;
            return this;
        }

        public Builder firstIndex(int firstIndex) {
            this.firstIndex = firstIndex;
            return this;
        }

        public Builder messagesPerSecondPerDevice(double rate) {
            this.messagesPerSecondPerDevice = rate;
            return this;
        }

        public Builder alertShare(double alertShare) {
            this.alertShare = alertShare;
            return this;
        }

        public Builder ringCapacity(int ringCapacity) {
            this.ringCapacity = ringCapacity;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Null = no limit. */
        public Builder maxMessagesPerDevice(Long maxMessagesPerDevice) {
            this.maxMessagesPerDevice = maxMessagesPerDevice;
            return this;
        }

        public Builder maxMessagesPerDevice(long maxMessagesPerDevice) {
            return maxMessagesPerDevice(Long.valueOf(maxMessagesPerDevice));
        }

        /** Null = the epoch second at which the fleet starts. */
        public Builder boot(Long boot) {
            this.boot = boot;
            return this;
        }

        public Builder boot(long boot) {
            return boot(Long.valueOf(boot));
        }

        public Builder maxConcurrentConnects(int maxConcurrentConnects) {
            this.maxConcurrentConnects = maxConcurrentConnects;
            return this;
        }

        public Builder reconnect(Backoff reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** Simulated seconds per real second (1 = real time). */
        public Builder acceleration(double acceleration) {
            this.acceleration = acceleration;
            return this;
        }

        /** The device model; without one, the default model charged for the wire's radio profile. */
        public Builder model(DeviceModel model) {
            this.model = model;
            this.modelSet = true;
            return this;
        }

        /** Replaces the hostile rules. */
        public Builder hostile(List<HostileRule> hostile) {
            this.hostile = hostile == null ? null : List.copyOf(hostile);
            return this;
        }

        public Builder hostile(HostileRule... rules) {
            return hostile(List.of(rules));
        }

        /** The attestation protocol the devices' firmware speaks. */
        public Builder protocol(EvidenceLayout protocol) {
            this.protocol = protocol;
            return this;
        }

        /** How the devices reach the gateway (default MQTT over TCP). */
        public Builder wire(WireSettings wire) {
            this.wire = wire;
            return this;
        }

        public FleetSpec build() {
            return new FleetSpec(
                    host,
                    port,
                    siteKey,
                    deviceCount,
                    idPrefix,
                    firstIndex,
                    messagesPerSecondPerDevice,
                    alertShare,
                    ringCapacity,
                    seed,
                    duration,
                    maxMessagesPerDevice,
                    boot,
                    maxConcurrentConnects,
                    reconnect,
                    acceleration,
                    modelSet || wire == null ? model : model.withTransport(wire.radioProfile()),
                    hostile,
                    protocol,
                    wire);
        }
    }
}

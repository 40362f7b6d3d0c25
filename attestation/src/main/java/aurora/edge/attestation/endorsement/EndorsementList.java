package aurora.edge.attestation.endorsement;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The vendor-signed list of devices and their identity keys (the RATS "endorsement"). Obtain one
 * from {@link EndorsementReader}, which checks the signature before parsing.
 */
public final class EndorsementList {
    public static final String FORMAT = "aurora-device-endorsements";
    public static final int FORMAT_VERSION = 1;

    private final long sequence;
    private final Instant issuedAt;
    private final Map<String, EndorsedDevice> devices;

    public EndorsementList(long sequence, Instant issuedAt, List<EndorsedDevice> devices) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, found " + sequence);
        }
        this.sequence = sequence;
        this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
        Map<String, EndorsedDevice> byId = new LinkedHashMap<>();
        for (EndorsedDevice device : devices) {
            if (byId.put(device.deviceId(), device) != null) {
                throw new IllegalArgumentException("device_id " + device.deviceId() + " is listed twice");
            }
        }
        for (EndorsedDevice device : byId.values()) {
            String relay = device.relay();
            if (relay == null) {
                continue;
            }
            EndorsedDevice named = byId.get(relay);
            if (named == null || named.role() != DeviceRole.RELAY) {
                throw new IllegalArgumentException("relay " + relay + " of " + device.deviceId()
                        + " must be listed with role relay, found " + (named == null ? "no entry" : "role device"));
            }
        }
        this.devices = Collections.unmodifiableMap(byId);
    }

    public long sequence() {
        return sequence;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Optional<EndorsedDevice> device(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** All devices, in document order. */
    public Collection<EndorsedDevice> devices() {
        return devices.values();
    }

    public int size() {
        return devices.size();
    }
}

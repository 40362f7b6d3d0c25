package aurora.edge.attestation.endorsement;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.keys.VerifyingKey;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A device the vendor vouches for: its id, its board class (which selects the manifest policy),
 * its ECDSA P-256 identity key and, optionally, the attestation protocol its firmware speaks. The
 * only source of device keys: a key is never taken from a device's own message.
 *
 * <p>A relay (an aggregating gateway such as AuroraSOC's ESP32-S3 BLE gateway) is an entry with
 * {@code "role": "relay"}; a device that reaches the gateway through a relay names it with
 * {@code "relay": "esp32s3_gw_01"}. Relays do not chain: a relay is never itself relayed.
 *
 * @param protocol the endorsement's {@code "protocol"}; null when the entry does not say (the
 *                 gateway then goes by what the device says about its firmware)
 * @param role     {@link DeviceRole#RELAY} for an aggregating gateway, else {@link DeviceRole#DEVICE}
 * @param relay    the relay this device is bound to; null when it connects by itself
 */
public record EndorsedDevice(
        String deviceId,
        String board,
        VerifyingKey publicKey,
        @Nullable EvidenceLayout protocol,
        DeviceRole role,
        @Nullable String relay) {
    /** An entry that does not name a protocol. */
    public EndorsedDevice(String deviceId, String board, VerifyingKey publicKey) {
        this(deviceId, board, publicKey, null);
    }

    /** A plain device (not a relay, not relayed). */
    public EndorsedDevice(String deviceId, String board, VerifyingKey publicKey, @Nullable EvidenceLayout protocol) {
        this(deviceId, board, publicKey, protocol, DeviceRole.DEVICE, null);
    }

    public EndorsedDevice {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        if (!DeviceId.isValidBoard(board)) {
            throw new IllegalArgumentException("board must match [A-Za-z0-9_.-]{1,64}, found \"" + board + "\"");
        }
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.algorithm() != KeyAlgorithm.ECDSA_P256) {
            throw new IllegalArgumentException(
                    "publicKey of " + deviceId + " must be ECDSA P-256, found " + publicKey.algorithm());
        }
        if (KeyDenyList.isDenied(publicKey.keyHash())) {
            throw new IllegalArgumentException("publicKey of " + deviceId + " is "
                    + KeyDenyList.reason(publicKey.keyHash()).orElseThrow());
        }
        Objects.requireNonNull(role, "role");
        if (relay != null) {
            if (!DeviceId.isValid(relay)) {
                throw new IllegalArgumentException(
                        "relay of " + deviceId + " must match [A-Za-z0-9_-]{1,64}, found \"" + relay + "\"");
            }
            if (relay.equals(deviceId)) {
                throw new IllegalArgumentException("relay of " + deviceId + " must be another device, found itself");
            }
            if (role == DeviceRole.RELAY) {
                throw new IllegalArgumentException("relay " + deviceId
                        + " must not be relayed itself (relays do not chain), found relay " + relay);
            }
        }
    }

    /** The relay this device is bound to by the endorsement list, if any. */
    public Optional<String> boundRelay() {
        return Optional.ofNullable(relay);
    }

    /** The protocol the endorsement names, if it names one. */
    public Optional<EvidenceLayout> declaredProtocol() {
        return Optional.ofNullable(protocol);
    }
}

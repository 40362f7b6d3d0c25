package aurora.edge.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a simulated device does besides (or instead of) being honest. A hostile device keeps its honest telemetry
 * stream (so its own valid messages are accounted for like any other) and adds the misbehaviour; what the gateway
 * does about each one is in {@link #gatewayOutcome()}. Injected messages are published at QoS 0 and are never part
 * of {@link Fleet#sentMessageIds()}.
 */
public enum Behaviour {
    HONEST("none"),
    /** Runs the sample image altered after signing; measured boot recomputes its hash. */
    TAMPERED_FIRMWARE("attestation verdict UNKNOWN_FIRMWARE / unknown_hash (issue 4)"),
    /** Runs an image signed with MCUboot's published example key. */
    EXAMPLE_KEY_FIRMWARE("attestation verdict TAMPERED / signer_denylisted (issue 4)"),
    /** Runs the revoked sample image 1.0.0. */
    REVOKED_FIRMWARE("attestation verdict REVOKED / hash_revoked (issue 4)"),
    /** Signs its evidence with a key the endorsement list does not hold. */
    WRONG_KEY("attestation verdict TAMPERED / bad_signature (issue 4)"),
    /**
     * Publishes an old answer unsolicited after connecting, and answers every challenge with it; with the stock
     * AuroraSOC protocol, publishes its previous boot's self-report and answers challenges honestly.
     */
    REPLAYED_EVIDENCE("rejected EVIDENCE_UNSOLICITED; to a live challenge TAMPERED / wrong_request (issue 4); "
            + "aurorasoc: TAMPERED / replayed (issue 12)"),
    /** Publishes telemetry under the next device's id in the topic. */
    SPOOFED_TOPIC("rejected TOPIC_NOT_OWNED"),
    /** Publishes telemetry whose payload claims the next device's id. */
    SPOOFED_PAYLOAD("rejected DEVICE_ID_MISMATCH"),
    /** Publishes a forged reboot command on the next device's aurora/command/{id}/action. */
    FOREIGN_TOPIC("rejected TOPIC_UNKNOWN (devices may publish under aurora/sensors/{own id}/ only)"),
    MALFORMED_JSON("rejected MALFORMED_JSON"),
    /** Publishes a payload larger than the gateway's default intake.max_payload_bytes (8 KiB). */
    OVERSIZE("rejected PAYLOAD_TOO_LARGE"),
    /** Produces {@code factor} messages per wake instead of one, all valid and sequenced. */
    FLOOD("RATE_LIMITED beyond intake.max_rate_per_device (a token bucket per device)"),
    /** Drops its connection after every wake and reconnects at once, past the fleet's connect gate. */
    CONNECTION_STORM("CONNECT_RATE_LIMITED beyond mqtt.max_connects_per_minute"),
    /** Connects with a password that is not derived from the site key. */
    WRONG_PASSWORD("rejected AUTH_FAILED"),
    /** Stamps {@code ts} with a clock {@code skew} off. */
    CLOCK_SKEW("accepted: the gateway ignores device time (timestamp = received_at)"),
    /** Skips a seq every {@code every} messages. */
    SEQ_GAP("accepted, gap audited as SEQ_GAP"),
    /** Every {@code every} messages, republishes an earlier seq with different readings. */
    SEQ_REWIND("dropped as a duplicate by message id (aurora_outbox_duplicates_total), the original is kept");

    private final String gatewayOutcome;

    Behaviour(String gatewayOutcome) {
        this.gatewayOutcome = gatewayOutcome;
    }

    /** The scenario-file spelling, e.g. {@code seq-gap}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Behaviour> fromWireName(String name) {
        return Arrays.stream(values()).filter(b -> b.wireName().equals(name)).findFirst();
    }

    /** What the gateway is expected to do about it. */
    public String gatewayOutcome() {
        return gatewayOutcome;
    }

    /** Misbehaviour that only shows when the gateway asks for attestation. */
    public boolean attestationOnly() {
        return this == TAMPERED_FIRMWARE
                || this == EXAMPLE_KEY_FIRMWARE
                || this == REVOKED_FIRMWARE
                || this == WRONG_KEY;
    }
}

package aurora.edge.sim;

/**
 * A snapshot of a fleet's counters. Message counts are totals since the fleet started.
 *
 * @param deviceCount devices in the fleet
 * @param connectedDevices devices connected and subscribed right now
 * @param sent messages published for the first time
 * @param resent publishes of a message already published once (after a reconnect, above the ack watermark)
 * @param acked messages removed from the devices' rings by a gateway ack watermark
 * @param unacked messages in the devices' rings now (sent or not yet sent, not acknowledged)
 * @param droppedOnDevice messages pushed out of a full ring before the gateway acknowledged them
 * @param publishFailures publishes whose PUBACK did not arrive (the message stays in the ring)
 * @param commandsReceived messages received on {@code aurora/command/{id}/action}
 * @param commandsRefused commands that were malformed or named an unknown action
 * @param malformedAcks messages on {@code aurora/command/{id}/ack} that were not {@code {"boot":b,"seq":n}}
 * @param connects successful CONNECTs
 * @param connectFailures CONNECT attempts that failed (refused, timed out, unreachable)
 * @param connectionLosses established connections that dropped
 * @param messagesPerSecond first-time sends per second over the last full second
 * @param produced sequenced messages the devices produced (sampled and queued), published or not
 * @param attestationsAnswered attest commands answered with evidence
 * @param reboots reboots, commanded or by brown-out (each raises the device's boot count)
 * @param brownOuts resets because the cell sagged below the brown-out threshold under the TX pulse
 * @param devicesBrownedOut devices that browned out at least once
 * @param devicesDead devices whose cell is empty (they stopped for good)
 * @param lostOnReboot unacknowledged messages lost with the RAM at a reboot or brown-out
 * @param hostileInjected messages hostile devices injected besides their sequenced stream (QoS 0, never acked)
 */
public record FleetStats(
        int deviceCount,
        int connectedDevices,
        long sent,
        long resent,
        long acked,
        long unacked,
        long droppedOnDevice,
        long publishFailures,
        long commandsReceived,
        long commandsRefused,
        long malformedAcks,
        long connects,
        long connectFailures,
        long connectionLosses,
        double messagesPerSecond,
        long produced,
        long attestationsAnswered,
        long reboots,
        long brownOuts,
        int devicesBrownedOut,
        int devicesDead,
        long lostOnReboot,
        long hostileInjected) {}

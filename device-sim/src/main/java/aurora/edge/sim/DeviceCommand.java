package aurora.edge.sim;

/**
 * A message received on {@code aurora/command/{id}/action}, parsed. A device handles it at its next data poll
 * (a sleepy Thread child only hears its parent when it polls).
 */
sealed interface DeviceCommand {
    /** {@code {"action":"attest","request_id","nonce","expires_in_s"}}: answered with signed evidence. */
    record Attest(String requestId, String nonce, long expiresInSeconds) implements DeviceCommand {}

    /** {@code {"action":"set_interval","interval_s":n}}, 1..86400: the wake-up period in simulated seconds. */
    record SetInterval(long seconds) implements DeviceCommand {}

    /** {@code {"action":"reboot"}}: boot count + 1, seq restarts at 1, RAM (the unacknowledged ring) is lost. */
    record Reboot() implements DeviceCommand {}

    /**
     * {@code {"action":"isolate"}} or {@code {"action":"isolate","enabled":false}}: an isolated device stops
     * publishing readings and alerts but keeps polling, so it still answers attestation and can be released.
     */
    record Isolate(boolean enabled) implements DeviceCommand {}

    /** Well-formed, with an action this device does not implement: refused. */
    record Unknown(String action) implements DeviceCommand {}

    /** Not a JSON object with a string {@code action}, or bad arguments: refused. */
    record Malformed(String problem) implements DeviceCommand {}
}

package aurora.edge.sim;

/**
 * A message received on {@code aurora/command/{id}/action}, parsed. The first cut knows {@link Attest} (counted, not
 * answered yet); issue 5 adds {@code set_interval}, {@code reboot}, {@code isolate} and the attestation answer, each
 * as one more record here and one more branch in {@code SimDevice.onCommand}.
 */
sealed interface DeviceCommand {
    /** {@code {"action":"attest","request_id","nonce","expires_in_s"}}. */
    record Attest(String requestId, String nonce, long expiresInSeconds) implements DeviceCommand {}

    /** Well-formed, with an action this device does not implement: refused. */
    record Unknown(String action) implements DeviceCommand {}

    /** Not a JSON object with a string {@code action}: refused. */
    record Malformed(String problem) implements DeviceCommand {}
}

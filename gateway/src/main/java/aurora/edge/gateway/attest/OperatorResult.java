package aurora.edge.gateway.attest;

import aurora.edge.gateway.registry.Device;

/** The outcome of an operator command ({@code devices approve|quarantine|release|attest}). */
public sealed interface OperatorResult {
    /** The command changed the device (or sent the challenge); the device as it is now. */
    record Done(Device device, String message) implements OperatorResult {}

    /** Nothing to do: the device is already in the requested state. */
    record NoChange(Device device, String message) implements OperatorResult {}

    /** The command does not apply to this device, e.g. attesting a device without an endorsed key. */
    record Refused(Device device, String message) implements OperatorResult {}

    record NotFound(String deviceId) implements OperatorResult {}
}

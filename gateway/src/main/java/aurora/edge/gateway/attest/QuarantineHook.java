package aurora.edge.gateway.attest;

/** Told of every automatic quarantine (a failed verdict, a federation indicator); must not block. */
@FunctionalInterface
public interface QuarantineHook {
    QuarantineHook NONE = (deviceId, reason) -> {};

    void quarantined(String deviceId, String reason);
}

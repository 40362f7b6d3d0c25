package aurora.edge.attestation.evidence;

/**
 * The highest security counter and boot count the gateway has accepted from one device. They
 * must never go backwards; the caller persists the marks a {@link Verdict.Trusted} returns.
 */
public record HighWaterMarks(long securityCounter, long bootCount) {
    public static final HighWaterMarks NONE = new HighWaterMarks(0, 0);

    public HighWaterMarks {
        if (securityCounter < 0 || bootCount < 0) {
            throw new IllegalArgumentException(
                    "securityCounter and bootCount must be >= 0, found " + securityCounter + " and " + bootCount);
        }
    }

    public HighWaterMarks raisedTo(long newSecurityCounter, long newBootCount) {
        return new HighWaterMarks(Math.max(securityCounter, newSecurityCounter), Math.max(bootCount, newBootCount));
    }
}

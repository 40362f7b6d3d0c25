package aurora.edge.gateway.attest;

import org.jspecify.annotations.Nullable;

/**
 * The firmware manifest as {@code /status} reports it: the sequence in force, the sweep of the
 * latest replacement (what it re-evaluated, which re-attestations are still open) and the latest
 * replacement the gateway refused. An operator who replaced the manifest watches this to learn when
 * the fleet has been judged by it ({@code manifest install} polls it).
 *
 * @param sequence    the sequence in force; -1 when attestation is off (no {@code attest.manifest})
 * @param sweep       the sweep of the latest replacement since start; null before any
 * @param lastRefused the latest replacement refused since start; null when none was
 */
public record ManifestStatus(
        long sequence, @Nullable Sweep sweep, @Nullable Refusal lastRefused) {
    public ManifestStatus {
        if (sequence < -1) {
            throw new IllegalArgumentException("sequence must be -1 (none) or >= 0, found " + sequence);
        }
    }

    static ManifestStatus none() {
        return new ManifestStatus(-1, null, null);
    }

    /**
     * What one replacement meant for the registered devices. Every registered device is re-evaluated
     * against the new manifest at once; devices on revoked images are quarantined then, devices whose
     * image it no longer lists are challenged again, and the sweep is complete when none of those
     * re-attestations is outstanding (each device answered and got a verdict, or stayed silent
     * through its retries and is UNRESPONSIVE).
     *
     * @param fromSequence        the sequence replaced
     * @param toSequence          the sequence this sweep applies
     * @param startedAt           when the replacement was picked up (ISO-8601 UTC)
     * @param completedAt         when the last re-attestation settled (ISO-8601 UTC); null while running
     * @param devicesToEvaluate   registered devices when the sweep started
     * @param devicesEvaluated    of those, re-evaluated against the new manifest so far
     * @param quarantined         devices quarantined at once (revoked image, or below the minimum security counter)
     * @param reattestIssued      devices challenged again because the manifest no longer lists their image
     * @param reattestAnswered    of those, settled by their answer (a verdict from the new manifest)
     * @param reattestUnresponsive of those, settled as UNRESPONSIVE (no answer through every retry)
     * @param reattestOutstanding of those, still waiting for an answer (or a retry)
     * @param settledPerSecond    re-attestations settled per second since the start
     */
    public record Sweep(
            long fromSequence,
            long toSequence,
            String startedAt,
            @Nullable String completedAt,
            int devicesToEvaluate,
            int devicesEvaluated,
            int quarantined,
            int reattestIssued,
            int reattestAnswered,
            int reattestUnresponsive,
            int reattestOutstanding,
            double settledPerSecond,
            boolean complete) {
        public Sweep {
            if (devicesEvaluated < 0 || devicesEvaluated > devicesToEvaluate) {
                throw new IllegalArgumentException(
                        "devicesEvaluated must be in 0.." + devicesToEvaluate + ", found " + devicesEvaluated);
            }
            if (quarantined < 0 || reattestIssued < 0 || reattestAnswered < 0 || reattestUnresponsive < 0) {
                throw new IllegalArgumentException("counts must be >= 0, found quarantined=" + quarantined
                        + " issued=" + reattestIssued + " answered=" + reattestAnswered + " unresponsive="
                        + reattestUnresponsive);
            }
            if (reattestOutstanding != reattestIssued - reattestAnswered - reattestUnresponsive) {
                throw new IllegalArgumentException("reattestOutstanding must be issued - answered - unresponsive = "
                        + (reattestIssued - reattestAnswered - reattestUnresponsive) + ", found "
                        + reattestOutstanding);
            }
            if (complete != (devicesEvaluated == devicesToEvaluate && reattestOutstanding == 0)) {
                throw new IllegalArgumentException(
                        "complete must be true exactly when every device is evaluated and no "
                                + "re-attestation is outstanding, found " + complete);
            }
        }

        /** Re-attestations settled so far, answered or UNRESPONSIVE. */
        public int reattestSettled() {
            return reattestAnswered + reattestUnresponsive;
        }
    }

    /** A replacement the gateway did not take: {@code problem} is a stable code such as {@code document.rollback}. */
    public record Refusal(String problem, String detail, String at) {}
}

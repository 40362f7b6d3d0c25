package aurora.edge.gateway.soc;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How the gateway carries out the SOC's {@code reattest}: attestation challenges the device. */
@FunctionalInterface
public interface Reattestation {
    /**
     * @param requestedBy who in the SOC asked, for the audit trail
     * @return completes empty when a challenge went out, else with the reason it could not (not attestable, unknown)
     */
    CompletableFuture<Optional<String>> challenge(String deviceId, String requestedBy);
}

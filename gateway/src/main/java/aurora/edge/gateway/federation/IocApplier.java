package aurora.edge.gateway.federation;

import aurora.edge.gateway.attest.AttestationService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Applies federation IOCs through the attestation service, which owns every registry change: a
 * firmware hash is revoked, a named device quarantined. Waits a bounded time for the attestation
 * thread; a failure or a timeout is worth retrying (the message is nak'ed and comes back).
 */
public final class IocApplier implements IocHandler {
    private final AttestationService attestation;
    private final Duration timeout;

    public IocApplier(AttestationService attestation, Duration timeout) {
        this.attestation = attestation;
        this.timeout = timeout;
    }

    @Override
    public Outcome apply(Ioc ioc) throws IocHandlingException {
        CompletableFuture<Boolean> applied = switch (ioc.kind()) {
            case FIRMWARE_HASH -> attestation.revokeFirmware(ioc.id(), ioc.value());
            case DEVICE_ID -> attestation.quarantineCompromised(ioc.id(), ioc.value());
        };
        try {
            return applied.get(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Outcome.APPLIED : Outcome.REPLAY;
        } catch (ExecutionException e) {
            throw new IocHandlingException("applying " + ioc.id() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IocHandlingException("the attestation thread did not apply " + ioc.id() + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IocHandlingException("interrupted while applying " + ioc.id(), e);
        }
    }
}

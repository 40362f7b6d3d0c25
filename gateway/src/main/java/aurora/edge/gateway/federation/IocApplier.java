package aurora.edge.gateway.federation;

import aurora.edge.gateway.attest.IocEnforcement;
import aurora.edge.gateway.registry.FederationIoc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Applies federation IOCs through {@link IocEnforcement} (on the attestation thread, which owns
 * every registry change): a firmware hash is revoked, a named device quarantined, a revoked
 * indicator withdrawn. Waits a bounded time; a failure or a timeout is worth retrying (the
 * message is nak'ed and comes back).
 */
public final class IocApplier implements IocHandler {
    private final IocEnforcement enforcement;
    private final Duration timeout;

    public IocApplier(IocEnforcement enforcement, Duration timeout) {
        this.enforcement = enforcement;
        this.timeout = timeout;
    }

    @Override
    public Outcome apply(Ioc ioc) throws IocHandlingException {
        FederationIoc.Kind kind =
                ioc.kind() == Ioc.Kind.FIRMWARE_HASH ? FederationIoc.Kind.FIRMWARE_HASH : FederationIoc.Kind.DEVICE_ID;
        CompletableFuture<IocEnforcement.Outcome> taken = ioc.revoked()
                ? enforcement.withdraw(ioc.id(), kind, ioc.value())
                : enforcement.apply(ioc.id(), kind, ioc.value(), ioc.validUntil());
        try {
            return switch (taken.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                case APPLIED -> Outcome.APPLIED;
                case REPLAY -> Outcome.REPLAY;
                case AWAITING_CONFIRMATION -> Outcome.AWAITING_CONFIRMATION;
                case WITHDRAWN -> Outcome.WITHDRAWN;
                case EXPIRED -> Outcome.EXPIRED;
                case TABLE_FULL -> Outcome.REFUSED;
            };
        } catch (ExecutionException e) {
            throw new IocHandlingException("applying " + ioc.id() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IocHandlingException(
                    "the attestation thread did not apply " + ioc.id() + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IocHandlingException("interrupted while applying " + ioc.id(), e);
        }
    }
}

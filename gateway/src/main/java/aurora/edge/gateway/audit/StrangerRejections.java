package aurora.edge.gateway.audit;

import aurora.edge.gateway.device.Rejection;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The audit window of one rejection code for clients that have not authenticated. A stranger
 * picks its client id freely, so ids are worth nothing for throttling; its source address is what
 * it cannot change at will. In each window the first rejection from an address is audited on its
 * own, but at most {@link #MAX_INDIVIDUAL} per code in all; every other one is only counted, and
 * the window closes with one summary ("N AUTH_FAILED from M addresses"). Not thread-safe: the
 * caller synchronises.
 */
final class StrangerRejections {
    /** Individually audited rejections per code and window, whatever the number of addresses. */
    static final int MAX_INDIVIDUAL = 3;
    /** Caps the memory an attacker with many addresses can make us spend on one window. */
    private static final int MAX_ADDRESSES = 10_000;

    private final Rejection rejection;
    private long start;
    private int individual;
    private long suppressed;
    private boolean addressesOverflowed;
    private final Set<InetAddress> addresses = new HashSet<>();

    StrangerRejections(Rejection rejection, long start) {
        this.rejection = rejection;
        this.start = start;
    }

    /** Records one rejection; true when it deserves an audit event of its own. */
    boolean record(InetAddress address) {
        boolean newAddress = false;
        if (addresses.size() < MAX_ADDRESSES) {
            newAddress = addresses.add(address);
        } else if (!addresses.contains(address)) {
            addressesOverflowed = true;
        }
        if (newAddress && individual < MAX_INDIVIDUAL) {
            individual++;
            return true;
        }
        suppressed++;
        return false;
    }

    boolean expired(long now, long windowMillis) {
        return now - start >= windowMillis;
    }

    /** The summary of the window that ends now (null when nothing was suppressed), and a fresh window. */
    @Nullable
    Summary close(long now) {
        Summary summary = suppressed == 0
                ? null
                : new Summary(rejection, suppressed, addresses.size(), addressesOverflowed, now - start);
        start = now;
        individual = 0;
        suppressed = 0;
        addressesOverflowed = false;
        addresses.clear();
        return summary;
    }

    record Summary(Rejection rejection, long suppressed, int addresses, boolean atLeast, long windowMillis) {
        String title() {
            return suppressed + " " + rejection.code() + " from " + (atLeast ? "at least " : "") + addresses
                    + (addresses == 1 ? " address" : " addresses") + " (not audited one by one)";
        }
    }
}

package aurora.edge.gateway.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoked-device list ({@link RevokedDevices}, written by {@code devices revoke}) for every
 * listener, whether or not the TLS listener runs: re-read whenever it changes (checked every
 * {@code every}), and every listener told which ids are newly on it, so it can close their
 * sessions at once. Thread-safe: {@link #revoked} is read on handshake and connect threads.
 */
public final class RevokedDeviceWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevokedDeviceWatch.class);

    private final Path file;
    private final ScheduledExecutorService watcher;
    private final CopyOnWriteArrayList<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
    /** Revoked device id → the operator who revoked it. */
    private volatile Map<String, String> revoked;

    private FileStamp stamp;

    private RevokedDeviceWatch(Path file, Duration every) throws IOException {
        this.file = file;
        this.stamp = FileStamp.of(file);
        this.revoked = Map.copyOf(RevokedDevices.read(file));
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revoked-devices-watch");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Reads the list (a missing file is an empty list) and starts watching it. */
    public static RevokedDeviceWatch start(Path file, Duration every) throws IOException {
        return new RevokedDeviceWatch(file, every);
    }

    public boolean revoked(String deviceId) {
        return revoked.containsKey(deviceId);
    }

    /** Who revoked {@code deviceId} as the list names them ({@code ""} when it is not on the list). */
    public String revokedBy(String deviceId) {
        return revoked.getOrDefault(deviceId, "");
    }

    /** {@code listener} is told the ids newly on the list after each change (on the watch thread). */
    public void onNewlyRevoked(Consumer<Set<String>> listener) {
        listeners.add(listener);
    }

    private void reloadIfChanged() {
        try {
            FileStamp now = FileStamp.of(file);
            if (now.equals(stamp)) {
                return;
            }
            Map<String, String> next = Map.copyOf(RevokedDevices.read(file));
            Set<String> added = new HashSet<>(next.keySet());
            added.removeAll(revoked.keySet());
            stamp = now;
            revoked = next;
            log.info("revoked-device list reloaded devices={} newly_revoked={}", next.size(), added.size());
            if (!added.isEmpty()) {
                Set<String> copy = Set.copyOf(added);
                listeners.forEach(l -> l.accept(copy));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("revoked-device list not reloaded, keeping the previous one error={}", e.toString());
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}

package aurora.edge.gateway.registry;

import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The devices the gateway knows, in SQLite and mirrored in memory so intake can look a device up
 * without touching the disk. Reads are safe from any thread. Writes come from one thread (the
 * attestation thread) on the registry's own connection, each a short transaction; the one
 * exception is {@link #reserve}, which only claims a new id in memory on the intake thread, and
 * {@link #saveHealth}, which the health check calls from its own thread (it takes its turn on the
 * same connection and writes only the health table).
 */
public final class DeviceRegistry implements AutoCloseable {
    private final Database database;
    private final RegistryStore store;
    private final HealthStore healthStore;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    /** The health check's last judgement per device; a device without one is Online. */
    private final Map<String, HealthMark> health = new ConcurrentHashMap<>();

    private final Map<String, OpenChallenge> challenges = new ConcurrentHashMap<>();
    /** Every indicator kept (bounded by {@code federation.max_iocs}); the two views below are rebuilt from it on each change. */
    private final Map<String, FederationIoc> iocs = new ConcurrentHashMap<>();

    private final RelayBindingStore bindingStore;
    /** Operator bindings, child id → relay id; intake asks for every relayed message. */
    private final Map<String, String> operatorBindings = new ConcurrentHashMap<>();

    private volatile Set<String> revokedHashes = Set.of();
    /** Device id → an ACTIVE indicator that names it compromised: intake asks this for every message. */
    private volatile Map<String, String> compromisedDevices = Map.of();

    /** The registry database at {@code file}, created and migrated if needed. */
    public static Database openDatabase(java.nio.file.Path file) {
        return Database.open(file, "classpath:db/registry");
    }

    public DeviceRegistry(Database database) {
        this.database = database;
        Connection writer = database.openWriter();
        this.store = new RegistryStore(writer);
        this.healthStore = new HealthStore(writer);
        this.bindingStore = new RelayBindingStore(writer);
        operatorBindings.putAll(bindingStore.load());
        store.loadDevices().forEach(d -> devices.put(d.deviceId(), d));
        store.loadChallenges().forEach(c -> challenges.put(c.requestId(), c));
        store.loadIocs().forEach(ioc -> iocs.put(ioc.iocId(), ioc));
        rebuildIocViews();
        healthStore.load().forEach(m -> health.put(m.deviceId(), m));
    }

    public Optional<Device> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** Whether the device is registered here. */
    public boolean knows(String deviceId) {
        return devices.containsKey(deviceId);
    }

    /** Every device, ordered by id. */
    public List<Device> all() {
        List<Device> list = new ArrayList<>(devices.values());
        list.sort(Comparator.comparing(Device::deviceId));
        return list;
    }

    public int size() {
        return devices.size();
    }

    /**
     * The devices whose planned challenge is due at {@code now}, ordered by id. One pass over the
     * devices in memory that copies only the due ones: the attestation sweep asks twice a second, and
     * on a large fleet almost nothing is due (sorting a copy of every device each time was most of
     * an idle gateway's own CPU).
     */
    public List<Device> dueForAttestation(Instant now) {
        List<Device> due = null;
        for (Device d : devices.values()) {
            Instant next = d.nextAttestAt();
            if (next != null && !now.isBefore(next)) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(d);
            }
        }
        if (due == null) {
            return List.of();
        }
        due.sort(Comparator.comparing(Device::deviceId));
        return due;
    }

    /** Every device, in no particular order and without copying: for a pass over the whole fleet. */
    public void forEach(Consumer<Device> action) {
        devices.values().forEach(action);
    }

    public Map<AttestationState, Long> countsByState() {
        Map<AttestationState, Long> counts = new EnumMap<>(AttestationState.class);
        for (AttestationState s : AttestationState.values()) {
            counts.put(s, 0L);
        }
        devices.values().forEach(d -> counts.merge(d.state(), 1L, Long::sum));
        return counts;
    }

    public long quarantinedCount() {
        return devices.values().stream().filter(Device::quarantined).count();
    }

    /** Claims a new device id in memory; false if it is already known. Persist with {@link #save}. */
    public boolean reserve(Device device) {
        return devices.putIfAbsent(device.deviceId(), device) == null;
    }

    /**
     * Gives up a claim made by {@link #reserve} that was never saved (its registration could not be
     * queued): the device's next message registers it again.
     */
    public void unreserve(Device device) {
        devices.remove(device.deviceId(), device);
    }

    public void save(Device device) {
        store.upsert(device);
        devices.put(device.deviceId(), device);
    }

    public Optional<OpenChallenge> challenge(String requestId) {
        return Optional.ofNullable(challenges.get(requestId));
    }

    public Optional<OpenChallenge> openChallengeOf(String deviceId) {
        return challenges.values().stream()
                .filter(c -> !c.expired() && c.deviceId().equals(deviceId))
                .findFirst();
    }

    /** How many challenges of the device are stored in the database, open or expired. */
    public int storedChallenges(String deviceId) {
        // On a connection of its own: the store's belongs to the attestation thread.
        try (Connection c = database.openReader();
                PreparedStatement ps =
                        c.prepareStatement("SELECT COUNT(*) FROM attest_challenge WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count the challenges of " + deviceId, e);
        }
    }

    public Collection<OpenChallenge> challenges() {
        return List.copyOf(challenges.values());
    }

    /** Persists a new open challenge (the device's previous open one becomes expired) together with the device. */
    public void open(OpenChallenge challenge, Device device) {
        store.open(challenge, device);
        challenges.replaceAll((id, c) -> c.deviceId().equals(challenge.deviceId()) && !c.expired() ? expired(c) : c);
        challenges.put(challenge.requestId(), challenge);
        devices.put(device.deviceId(), device);
    }

    /**
     * Deletes expired challenges (database and memory) whose expiry is before {@code expiredBefore},
     * and beyond the {@code keepPerDevice} newest of each device, so superseded challenges cannot
     * pile up. Returns how many were deleted.
     */
    public int pruneExpired(Instant expiredBefore, int keepPerDevice) {
        Map<String, List<OpenChallenge>> byDevice = new java.util.HashMap<>();
        for (OpenChallenge c : challenges.values()) {
            if (c.expired()) {
                byDevice.computeIfAbsent(c.deviceId(), k -> new ArrayList<>()).add(c);
            }
        }
        List<String> doomed = new ArrayList<>();
        for (List<OpenChallenge> expired : byDevice.values()) {
            expired.sort(Comparator.comparing(OpenChallenge::issuedAt).reversed());
            for (int i = 0; i < expired.size(); i++) {
                OpenChallenge c = expired.get(i);
                if (i >= keepPerDevice || c.challenge().expiresAt().isBefore(expiredBefore)) {
                    doomed.add(c.requestId());
                }
            }
        }
        if (doomed.isEmpty()) {
            return 0;
        }
        store.deleteExpired(doomed);
        doomed.forEach(challenges::remove);
        return doomed.size();
    }

    public void expire(OpenChallenge challenge, Device device) {
        store.expire(challenge, device);
        challenges.computeIfPresent(challenge.requestId(), (id, c) -> expired(c));
        devices.put(device.deviceId(), device);
    }

    /**
     * Consumes {@code challenge} and stores {@code device} (and {@code verdict}, if any) in one
     * transaction; false, with nothing changed, if the challenge was already consumed.
     */
    public boolean consume(OpenChallenge challenge, Device device, @Nullable VerdictRecord verdict) {
        if (!store.consume(challenge, device, verdict)) {
            challenges.remove(challenge.requestId());
            return false;
        }
        challenges.remove(challenge.requestId());
        if (verdict != null) {
            challenges.values().removeIf(c -> c.expired() && c.deviceId().equals(device.deviceId()));
        }
        devices.put(device.deviceId(), device);
        return true;
    }

    /** Stores a verdict that answers no challenge (UNRESPONSIVE, a revocation, an operator action) with the device. */
    public void record(Device device, VerdictRecord verdict) {
        store.record(device, verdict);
        devices.put(device.deviceId(), device);
    }

    /** Saves when devices were last heard from, in chunks so no transaction holds the write lock for long. */
    public void saveLastSeen(Map<String, Instant> seen) {
        List<Map.Entry<String, Instant>> entries = new ArrayList<>(seen.entrySet());
        for (int from = 0; from < entries.size(); from += 500) {
            Map<String, Instant> chunk = new java.util.HashMap<>();
            entries.subList(from, Math.min(entries.size(), from + 500))
                    .forEach(e -> chunk.put(e.getKey(), e.getValue()));
            store.saveLastSeen(chunk);
            chunk.forEach((id, at) -> devices.computeIfPresent(id, (k, d) -> d.withLastSeen(at)));
        }
    }

    // ---- device health (written by the health check's thread only) ----

    /** The health check's last judgement of the device, if it made one (none: Online). */
    public Optional<HealthMark> healthMark(String deviceId) {
        return Optional.ofNullable(health.get(deviceId));
    }

    /** The device's health as last judged: Online until the health check says otherwise. */
    public Health health(String deviceId) {
        HealthMark mark = health.get(deviceId);
        return mark == null ? Health.ONLINE : mark.health();
    }

    /** The device's one JSON view ({@link DeviceView}), with its health. */
    public Map<String, Object> view(Device device) {
        return DeviceView.of(device, health.get(device.deviceId()));
    }

    /**
     * Keeps new judgements: in memory first, then in one transaction. If the write fails the
     * running gateway still knows them (it does not alert again every pass); only a restart would.
     */
    public void saveHealth(Collection<HealthMark> marks) {
        if (marks.isEmpty()) {
            return;
        }
        marks.forEach(m -> health.put(m.deviceId(), m));
        healthStore.save(marks);
    }

    /** Registered devices by health as last judged. */
    public Map<Health, Long> countsByHealth() {
        Map<Health, Long> counts = new EnumMap<>(Health.class);
        for (Health h : Health.values()) {
            counts.put(h, 0L);
        }
        devices.keySet().forEach(id -> counts.merge(health(id), 1L, Long::sum));
        return counts;
    }

    public long trustedSequence(String kind) {
        return store.trustedSequence(kind);
    }

    public void saveTrustedSequence(String kind, long sequence) {
        store.saveTrustedSequence(kind, sequence);
    }

    // ---- relay bindings made by operators ----

    /** The relay an operator bound {@code childId} to, if any; answered from memory. */
    public Optional<String> operatorRelayOf(String childId) {
        return Optional.ofNullable(operatorBindings.get(childId));
    }

    /** Whether an operator binding names {@code deviceId} as a relay; answered from memory. */
    public boolean operatorRelay(String deviceId) {
        return operatorBindings.containsValue(deviceId);
    }

    /** The children operators bound to {@code relayId}. */
    public Set<String> operatorChildrenOf(String relayId) {
        Set<String> children = new java.util.TreeSet<>();
        operatorBindings.forEach((child, relay) -> {
            if (relay.equals(relayId)) {
                children.add(child);
            }
        });
        return children;
    }

    /** Stores an operator binding of {@code childId} to {@code relayId} (replacing any other). */
    public void bindToRelay(String childId, String relayId, String operator, Instant at) {
        bindingStore.bind(childId, relayId, operator, at);
        operatorBindings.put(childId, relayId);
    }

    /** Removes the operator binding of {@code childId}, if any. */
    public void unbindFromRelay(String childId) {
        bindingStore.unbind(childId);
        operatorBindings.remove(childId);
    }

    // ---- IOCs from the federation ----

    /** The indicator with this id, in whatever state, if it is kept. */
    public Optional<FederationIoc> ioc(String iocId) {
        return Optional.ofNullable(iocs.get(iocId));
    }

    /** Every indicator kept, by id. */
    public List<FederationIoc> iocs() {
        List<FederationIoc> list = new ArrayList<>(iocs.values());
        list.sort(Comparator.comparing(FederationIoc::iocId));
        return list;
    }

    public int iocCount() {
        return iocs.size();
    }

    /** Stores an indicator (new, or in a new state). */
    public void saveIoc(FederationIoc ioc) {
        store.saveIoc(ioc);
        iocs.put(ioc.iocId(), ioc);
        rebuildIocViews();
    }

    /** Deletes indicators no longer worth keeping (withdrawn tombstones past their time). */
    public void forgetIocs(List<String> iocIds) {
        if (iocIds.isEmpty()) {
            return;
        }
        store.deleteIocs(iocIds);
        iocIds.forEach(iocs::remove);
        rebuildIocViews();
    }

    /** Firmware hashes (lower-case hex) revoked by ACTIVE federation indicators. */
    public Set<String> revokedHashes() {
        return revokedHashes;
    }

    /** Whether an ACTIVE federation IOC names this device as compromised; answered from memory, for intake. */
    public boolean namedCompromised(String deviceId) {
        return compromisedDevices.containsKey(deviceId);
    }

    /** The id of an ACTIVE indicator that names this device compromised, if one does. */
    public Optional<String> compromisingIoc(String deviceId) {
        return Optional.ofNullable(compromisedDevices.get(deviceId));
    }

    private void rebuildIocViews() {
        Set<String> hashes = new java.util.HashSet<>();
        Map<String, String> devicesNamed = new java.util.HashMap<>();
        for (FederationIoc ioc : iocs.values()) {
            if (!ioc.active()) {
                continue;
            }
            if (ioc.kind() == FederationIoc.Kind.FIRMWARE_HASH) {
                hashes.add(ioc.value());
            } else {
                devicesNamed.merge(ioc.value(), ioc.iocId(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        revokedHashes = Set.copyOf(hashes);
        compromisedDevices = Map.copyOf(devicesNamed);
    }

    /** The device's latest verdicts and operator actions, newest first; on a reader connection, so any thread may ask. */
    public List<VerdictRecord> history(String deviceId, int limit) {
        try (RegistryStore reader = new RegistryStore(database.openReader())) {
            return reader.history(deviceId, limit);
        }
    }

    private static OpenChallenge expired(OpenChallenge c) {
        return new OpenChallenge(c.deviceId(), c.challenge(), c.issuedAt(), c.trigger(), true);
    }

    /** Reads the registry from the database without a running gateway (for the CLI); read-only. */
    public static List<Device> read(Database database) {
        try (Connection c = database.openReader();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM device ORDER BY device_id");
                ResultSet rs = ps.executeQuery()) {
            List<Device> out = new ArrayList<>();
            while (rs.next()) {
                out.add(RegistryStore.device(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the device registry from " + database.file(), e);
        }
    }

    /** Reads the health marks from the database without a running gateway (for the CLI); read-only. */
    public static Map<String, HealthMark> readHealth(Database database) {
        try (Connection c = database.openReader()) {
            Map<String, HealthMark> out = new java.util.HashMap<>();
            HealthStore.load(c).forEach(m -> out.put(m.deviceId(), m));
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read device health from " + database.file(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}

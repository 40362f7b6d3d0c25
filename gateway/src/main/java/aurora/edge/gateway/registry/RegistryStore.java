package aurora.edge.gateway.registry;

import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Nonce;
import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The registry's SQL, on one connection used by one thread at a time (the attestation thread; the
 * health check's {@link HealthStore} takes its turn on the same connection, under the same lock:
 * sqlite-jdbc holds a write transaction open on it between commits, so a second writer connection
 * would wait for ever); every write is one short transaction.
 */
final class RegistryStore implements AutoCloseable {
    private static final String DEVICE_COLUMNS =
            "device_id, uuid, device_type, board, firmware_version, reported_boot, first_seen, "
                    + "last_seen, hwm_security_counter, hwm_boot_count, status, reason, quarantined, approved, status_changed_at, "
                    + "last_attested_at, next_attest_at, unanswered, key_ref, attested_hash, last_request_id, firmware_stack";

    private final Connection connection;

    RegistryStore(Connection connection) {
        this.connection = connection;
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot prepare the registry connection", e);
        }
    }

    List<Device> loadDevices() {
        return inTransaction(
                () -> {
                    List<Device> devices = new ArrayList<>();
                    try (PreparedStatement ps = connection.prepareStatement(
                                    "SELECT " + DEVICE_COLUMNS + " FROM device ORDER BY device_id");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            devices.add(device(rs));
                        }
                    }
                    return devices;
                },
                "load devices");
    }

    List<OpenChallenge> loadChallenges() {
        return inTransaction(
                () -> {
                    List<OpenChallenge> challenges = new ArrayList<>();
                    try (PreparedStatement ps = connection.prepareStatement(
                                    "SELECT request_id, device_id, nonce, issued_at, expires_at, trigger, state FROM attest_challenge");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Challenge c = new Challenge(
                                    rs.getString(1),
                                    Nonce.fromBase64Url(rs.getString(3)),
                                    Instant.ofEpochMilli(rs.getLong(5)));
                            challenges.add(new OpenChallenge(
                                    rs.getString(2),
                                    c,
                                    Instant.ofEpochMilli(rs.getLong(4)),
                                    rs.getString(6),
                                    "EXPIRED".equals(rs.getString(7))));
                        }
                    }
                    return challenges;
                },
                "load challenges");
    }

    void upsert(Device d) {
        inTransaction(
                () -> {
                    writeDevice(d);
                },
                "save device " + d.deviceId());
    }

    /** Replaces the device's open challenge (the old one becomes expired: a late answer to it is late, not forged). */
    void open(OpenChallenge c, Device device) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "UPDATE attest_challenge SET state = 'EXPIRED' WHERE device_id = ? AND state = 'OPEN'")) {
                        ps.setString(1, c.deviceId());
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO attest_challenge "
                                    + "(request_id, device_id, nonce, issued_at, expires_at, trigger, state) VALUES (?,?,?,?,?,?,'OPEN')")) {
                        ps.setString(1, c.requestId());
                        ps.setString(2, c.deviceId());
                        ps.setString(3, c.challenge().nonce().base64Url());
                        ps.setLong(4, c.issuedAt().toEpochMilli());
                        ps.setLong(5, c.challenge().expiresAt().toEpochMilli());
                        ps.setString(6, c.trigger());
                        ps.executeUpdate();
                    }
                    writeDevice(device);
                },
                "open challenge for " + c.deviceId());
    }

    void deleteExpired(List<String> requestIds) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "DELETE FROM attest_challenge WHERE request_id = ? AND state = 'EXPIRED'")) {
                        for (String id : requestIds) {
                            ps.setString(1, id);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                },
                "prune " + requestIds.size() + " expired challenges");
    }

    void expire(OpenChallenge c, Device device) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "UPDATE attest_challenge SET state = 'EXPIRED' WHERE request_id = ?")) {
                        ps.setString(1, c.requestId());
                        ps.executeUpdate();
                    }
                    writeDevice(device);
                },
                "expire challenge for " + c.deviceId());
    }

    /**
     * Consumes the challenge and records the outcome in one transaction: the compare-and-delete
     * decides, so a second answer to the same challenge (a QoS 1 duplicate, a replay) finds nothing
     * to consume and changes nothing. Returns false when the challenge was already gone.
     */
    boolean consume(OpenChallenge consumed, Device device, @Nullable VerdictRecord verdict) {
        return inTransaction(
                () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "DELETE FROM attest_challenge WHERE request_id = ? AND device_id = ?")) {
                        ps.setString(1, consumed.requestId());
                        ps.setString(2, consumed.deviceId());
                        if (ps.executeUpdate() != 1) {
                            connection.rollback();
                            return false;
                        }
                    }
                    if (verdict != null) {
                        // The verdict closes the round: expired challenges of this device are no longer needed.
                        try (PreparedStatement ps = connection.prepareStatement(
                                "DELETE FROM attest_challenge WHERE device_id = ? AND state = 'EXPIRED'")) {
                            ps.setString(1, consumed.deviceId());
                            ps.executeUpdate();
                        }
                        insertVerdict(verdict);
                    }
                    writeDevice(device);
                    return true;
                },
                "consume challenge for " + consumed.deviceId());
    }

    /** A verdict without a challenge (UNRESPONSIVE, manifest revocation, operator action). */
    void record(Device device, VerdictRecord verdict) {
        inTransaction(
                () -> {
                    insertVerdict(verdict);
                    writeDevice(device);
                },
                "record verdict for " + device.deviceId());
    }

    void saveLastSeen(Map<String, Instant> seen) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "UPDATE device SET last_seen = MAX(last_seen, ?) WHERE device_id = ?")) {
                        for (Map.Entry<String, Instant> e : seen.entrySet()) {
                            ps.setLong(1, e.getValue().toEpochMilli());
                            ps.setString(2, e.getKey());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                },
                "save last seen");
    }

    long trustedSequence(String kind) {
        return inTransaction(
                () -> {
                    try (PreparedStatement ps =
                            connection.prepareStatement("SELECT sequence FROM trusted_document WHERE kind = ?")) {
                        ps.setString(1, kind);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getLong(1) : 0L;
                        }
                    }
                },
                "read trusted sequence of " + kind);
    }

    void saveTrustedSequence(String kind, long sequence) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps =
                            connection.prepareStatement("INSERT INTO trusted_document (kind, sequence) VALUES (?, ?) "
                                    + "ON CONFLICT (kind) DO UPDATE SET sequence = MAX(sequence, excluded.sequence)")) {
                        ps.setString(1, kind);
                        ps.setLong(2, sequence);
                        ps.executeUpdate();
                    }
                },
                "save trusted sequence of " + kind);
    }

    List<FederationIoc> loadIocs() {
        return inTransaction(
                () -> {
                    List<FederationIoc> iocs = new ArrayList<>();
                    try (PreparedStatement ps = connection.prepareStatement(
                                    "SELECT ioc_id, kind, value, state, valid_until, applied_at, changed_at, forget_at FROM federation_ioc");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Instant applied = Instant.ofEpochMilli(rs.getLong(6)); // NOT NULL
                            iocs.add(new FederationIoc(
                                    rs.getString(1),
                                    FederationIoc.Kind.valueOf(rs.getString(2)),
                                    rs.getString(3),
                                    FederationIoc.State.valueOf(rs.getString(4)),
                                    instant(rs, 5),
                                    applied,
                                    rs.getObject(7) == null ? applied : Instant.ofEpochMilli(rs.getLong(7)),
                                    instant(rs, 8)));
                        }
                    }
                    return iocs;
                },
                "load federation IOCs");
    }

    void saveIoc(FederationIoc ioc) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO federation_ioc (ioc_id, kind, value, state, valid_until, applied_at, changed_at, forget_at) "
                                    + "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (ioc_id) DO UPDATE SET state = excluded.state, "
                                    + "valid_until = excluded.valid_until, changed_at = excluded.changed_at, forget_at = excluded.forget_at")) {
                        ps.setString(1, ioc.iocId());
                        ps.setString(2, ioc.kind().name());
                        ps.setString(3, ioc.value());
                        ps.setString(4, ioc.state().name());
                        setInstant(ps, 5, ioc.validUntil());
                        ps.setLong(6, ioc.appliedAt().toEpochMilli());
                        ps.setLong(7, ioc.changedAt().toEpochMilli());
                        setInstant(ps, 8, ioc.forgetAt());
                        ps.executeUpdate();
                    }
                },
                "save federation IOC " + ioc.iocId());
    }

    void deleteIocs(List<String> iocIds) {
        inTransaction(
                () -> {
                    try (PreparedStatement ps =
                            connection.prepareStatement("DELETE FROM federation_ioc WHERE ioc_id = ?")) {
                        for (String id : iocIds) {
                            ps.setString(1, id);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                },
                "forget " + iocIds.size() + " federation IOCs");
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    List<VerdictRecord> history(String deviceId, int limit) {
        return inTransaction(
                () -> {
                    List<VerdictRecord> out = new ArrayList<>();
                    try (PreparedStatement ps = connection.prepareStatement(
                            "SELECT request_id, status, reason, detail, at FROM attest_verdict "
                                    + "WHERE device_id = ? ORDER BY id DESC LIMIT ?")) {
                        ps.setString(1, deviceId);
                        ps.setInt(2, limit);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(new VerdictRecord(
                                        deviceId,
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        Instant.ofEpochMilli(rs.getLong(5))));
                            }
                        }
                    }
                    return out;
                },
                "read history of " + deviceId);
    }

    private void insertVerdict(VerdictRecord v) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO attest_verdict (device_id, request_id, status, reason, detail, at) VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, v.deviceId());
            ps.setString(2, v.requestId());
            ps.setString(3, v.status());
            ps.setString(4, v.reason());
            ps.setString(5, v.detail());
            ps.setLong(6, v.at().toEpochMilli());
            ps.executeUpdate();
        }
    }

    private void writeDevice(Device d) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO device (" + DEVICE_COLUMNS + ") "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (device_id) DO UPDATE SET "
                + "device_type = excluded.device_type, board = excluded.board, firmware_version = excluded.firmware_version, "
                + "reported_boot = excluded.reported_boot, last_seen = MAX(last_seen, excluded.last_seen), "
                + "hwm_security_counter = MAX(hwm_security_counter, excluded.hwm_security_counter), "
                + "hwm_boot_count = MAX(hwm_boot_count, excluded.hwm_boot_count), status = excluded.status, reason = excluded.reason, "
                + "quarantined = excluded.quarantined, approved = excluded.approved, status_changed_at = excluded.status_changed_at, "
                + "last_attested_at = excluded.last_attested_at, next_attest_at = excluded.next_attest_at, "
                + "unanswered = excluded.unanswered, key_ref = excluded.key_ref, attested_hash = excluded.attested_hash, "
                + "last_request_id = excluded.last_request_id, firmware_stack = excluded.firmware_stack")) {
            int i = 1;
            ps.setString(i++, d.deviceId());
            ps.setString(i++, d.uuid());
            ps.setString(i++, d.deviceType());
            ps.setString(i++, d.board());
            ps.setString(i++, d.firmwareVersion());
            ps.setLong(i++, d.reportedBoot());
            ps.setLong(i++, d.firstSeen().toEpochMilli());
            ps.setLong(i++, d.lastSeen().toEpochMilli());
            ps.setLong(i++, d.securityCounterMark());
            ps.setLong(i++, d.bootCountMark());
            ps.setString(i++, d.state().name());
            ps.setString(i++, d.reason());
            ps.setInt(i++, d.quarantined() ? 1 : 0);
            ps.setInt(i++, d.approved() ? 1 : 0);
            ps.setLong(i++, d.statusChangedAt().toEpochMilli());
            setInstant(ps, i++, d.lastAttestedAt());
            setInstant(ps, i++, d.nextAttestAt());
            ps.setInt(i++, d.unanswered());
            ps.setString(i++, d.keyRef());
            ps.setString(i++, d.attestedHash());
            ps.setString(i++, d.lastRequestId());
            ps.setString(i, d.firmwareStack());
            ps.executeUpdate();
        }
    }

    private static void setInstant(PreparedStatement ps, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Device device(ResultSet rs) throws SQLException {
        return new Device(
                rs.getString("uuid"),
                rs.getString("device_id"),
                rs.getString("device_type"),
                rs.getString("board"),
                rs.getString("firmware_version"),
                rs.getLong("reported_boot"),
                Instant.ofEpochMilli(rs.getLong("first_seen")),
                Instant.ofEpochMilli(rs.getLong("last_seen")),
                rs.getLong("hwm_security_counter"),
                rs.getLong("hwm_boot_count"),
                AttestationState.parse(rs.getString("status")),
                rs.getString("reason"),
                rs.getInt("quarantined") != 0,
                rs.getInt("approved") != 0,
                Instant.ofEpochMilli(rs.getLong("status_changed_at")),
                instant(rs, "last_attested_at"),
                instant(rs, "next_attest_at"),
                rs.getInt("unanswered"),
                rs.getString("key_ref"),
                rs.getString("attested_hash"),
                rs.getString("last_request_id"),
                rs.getString("firmware_stack"));
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws SQLException;
    }

    private void inTransaction(Action action, String what) {
        inTransaction(
                () -> {
                    action.run();
                    return Boolean.TRUE;
                },
                what);
    }

    private <T> T inTransaction(Work<T> work, String what) {
        synchronized (connection) {
            return inTransactionLocked(work, what);
        }
    }

    private <T> T inTransactionLocked(Work<T> work, String what) {
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is the one worth reporting
            }
            throw new StoreException("registry: " + what + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("closing the registry connection failed", e);
        }
    }
}

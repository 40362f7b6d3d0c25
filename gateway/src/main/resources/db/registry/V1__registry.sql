-- The device registry (ARCHITECTURE §5), in its own SQLite file (registry.db) beside the outbox's:
-- the outbox writer keeps a write transaction open between group commits (sqlite-jdbc begins the
-- next one right after each commit), so a second writer on the same file would wait forever.
-- Written only by the gateway's attestation thread, in short IMMEDIATE transactions.
CREATE TABLE device (
    device_id          TEXT    PRIMARY KEY,
    uuid               TEXT    NOT NULL UNIQUE,
    device_type        TEXT,
    board              TEXT,
    -- the firmware version and boot count the device last reported in a message (not attested)
    firmware_version   TEXT,
    reported_boot      INTEGER NOT NULL DEFAULT -1,
    first_seen         INTEGER NOT NULL,
    last_seen          INTEGER NOT NULL,
    -- high-water marks raised only by a TRUSTED verdict; they never go down
    hwm_security_counter INTEGER NOT NULL DEFAULT 0,
    hwm_boot_count     INTEGER NOT NULL DEFAULT 0,
    -- PENDING, TRUSTED, UNKNOWN_FIRMWARE, TAMPERED, REVOKED, DOWNGRADE, STALE
    status             TEXT    NOT NULL,
    reason             TEXT    NOT NULL,
    quarantined        INTEGER NOT NULL DEFAULT 0,
    approved           INTEGER NOT NULL DEFAULT 1,
    status_changed_at  INTEGER NOT NULL,
    last_attested_at   INTEGER,
    next_attest_at     INTEGER,
    unanswered         INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 (hex) of the endorsed public key, or NULL when the device is not endorsed
    key_ref            TEXT,
    attested_hash      TEXT,
    last_request_id    TEXT
);

-- Challenges sent and not yet answered. At most one OPEN per device; an EXPIRED one is kept until
-- the next verdict so a late answer is recognised as late (not as tampering).
CREATE TABLE attest_challenge (
    request_id  TEXT    PRIMARY KEY,
    device_id   TEXT    NOT NULL,
    nonce       TEXT    NOT NULL,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    trigger     TEXT    NOT NULL,
    state       TEXT    NOT NULL
);
CREATE UNIQUE INDEX attest_challenge_one_open ON attest_challenge (device_id) WHERE state = 'OPEN';

-- Every verdict, for the operator's history.
CREATE TABLE attest_verdict (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id   TEXT    NOT NULL,
    request_id  TEXT,
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX attest_verdict_device ON attest_verdict (device_id, at);

-- The highest sequence of each vendor-signed document ever trusted, so a restart cannot roll back.
CREATE TABLE trusted_document (
    kind     TEXT    PRIMARY KEY,
    sequence INTEGER NOT NULL
);

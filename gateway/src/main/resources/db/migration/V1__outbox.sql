-- The durable outbox: every accepted event, in acceptance order, until every sink has it.
CREATE TABLE outbox_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- seq is assigned by the single writer thread; AUTOINCREMENT keeps it from ever being reused
-- after rows are purged, which the Redis high-water mark relies on.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  TEXT    NOT NULL,
    device_id   TEXT,
    channel     TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    accepted_at INTEGER NOT NULL,
    event       BLOB    NOT NULL
);

-- Where each sink has got to: everything at or below seq is acknowledged by that sink.
CREATE TABLE sink_cursor (
    sink TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);

-- Per device and boot: the highest contiguous committed seq (the acknowledgement watermark) and
-- the seqs received above it, so a resend is recognised as a duplicate.
CREATE TABLE device_progress (
    device_id      TEXT    NOT NULL,
    boot           INTEGER NOT NULL,
    contiguous_seq INTEGER NOT NULL,
    pending        TEXT    NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (device_id, boot)
) WITHOUT ROWID;

-- The local audit trail an operator can read on the box; each entry also goes out through the outbox.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    message_id TEXT    NOT NULL,
    device_id  TEXT,
    code       TEXT    NOT NULL,
    event      BLOB    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

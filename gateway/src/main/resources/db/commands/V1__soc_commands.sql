-- Commands from the SOC to devices (commands.db): every accepted command until its outcome is
-- published and its expiry has passed; refused ones too, so a replayed command id is recognised.
CREATE TABLE soc_command (
    command_id      TEXT PRIMARY KEY,
    device_id       TEXT NOT NULL,
    action          TEXT NOT NULL,
    topic           TEXT NOT NULL,
    body            BLOB NOT NULL,           -- exactly what the device receives
    state           TEXT NOT NULL,           -- QUEUED, SENT, DONE, FAILED, REJECTED, EXPIRED, REFUSED
    attempts        INTEGER NOT NULL DEFAULT 0,
    received_at_ms  INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    next_send_ms    INTEGER NOT NULL DEFAULT 0,
    updated_at_ms   INTEGER NOT NULL,
    detail          TEXT,
    requested_by    TEXT,
    result_pending  INTEGER NOT NULL DEFAULT 0 -- 1 while the outcome is not yet on the results stream
);
CREATE INDEX soc_command_open ON soc_command (device_id, state);
CREATE INDEX soc_command_results ON soc_command (result_pending) WHERE result_pending = 1;
CREATE INDEX soc_command_expiry ON soc_command (expires_at_ms);

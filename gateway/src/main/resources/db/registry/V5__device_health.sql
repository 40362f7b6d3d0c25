-- Issue 12 part 4: device health, AuroraSOC's way (Online < devices.stale_after, Stale, Offline >
-- devices.offline_after). One row per device the health check has judged; a device without a row is
-- Online. Kept so a restart does not alert again about a device already known Stale or Offline.
-- Written by the health check's own thread on its own connection, one short transaction per pass
-- that changed something (the attestation thread writes the other tables).
CREATE TABLE device_health (
    device_id  TEXT    PRIMARY KEY,
    health     TEXT    NOT NULL CHECK (health IN ('ONLINE', 'STALE', 'OFFLINE')),
    -- when the gateway judged it so
    since      INTEGER NOT NULL,
    -- the last sign of life that judgement was based on; only a later message brings the device back Online
    last_heard INTEGER NOT NULL
);

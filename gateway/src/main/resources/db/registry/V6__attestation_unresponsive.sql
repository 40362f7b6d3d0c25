-- The attestation state of a device that stopped answering challenges was called STALE; AuroraSOC
-- uses "stale" for device health (not heard from for 10–60 minutes, table device_health), so the
-- attestation state is now UNRESPONSIVE. Devices and their verdict history keep their meaning.
UPDATE device SET status = 'UNRESPONSIVE' WHERE status = 'STALE';
UPDATE attest_verdict SET status = 'UNRESPONSIVE' WHERE status = 'STALE';

-- The firmware stack a device named when it registered (stock AuroraSOC firmware sends
-- "firmware_stack": rust_embassy, ada_spark, ...; ours sends none). Without a "protocol" in the
-- device's endorsement entry it decides how the device is challenged: a named stack means the
-- stock AuroraSOC protocol (aurora/attestation/{id}/request, text-signed evidence).
ALTER TABLE device ADD COLUMN firmware_stack TEXT;

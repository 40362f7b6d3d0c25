-- Attestation is the trust boundary (issue 11): data of a device without a TRUSTED verdict is
-- stored held. Forwarders and the purge skip held rows; the device's verdict releases them (new
-- seqs after everything committed, in their own order, trust "trusted") or turns them into
-- UNTRUSTED_DATA audit events. Held rows are durable, so they are acknowledged to the device.
ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_held_device ON outbox (device_id, seq) WHERE held = 1;

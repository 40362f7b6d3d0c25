-- A device that starts its seq over under a boot already seen (flash wiped, factory reset) gets a
-- new epoch of that boot instead of having its new messages dropped as resends; the digests of its
-- latest messages tell a rewind from a resend. Rows written before this migration have epoch 0 and
-- no digests, and keep working: without a digest only the distance rule detects a rewind.
ALTER TABLE device_progress ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE device_progress ADD COLUMN digests BLOB;

-- Issue 11, hole 10: an indicator has a life. ACTIVE: applied (hashes refused, devices quarantined).
-- AWAITING_CONFIRMATION: it would quarantine more of the fleet than federation.max_fleet_share allows,
-- so nothing is applied until an operator confirms it. WITHDRAWN: revoked by the federation or past its
-- valid_until; what it alone held was released. A WITHDRAWN row is kept until forget_at (so a redelivered
-- copy is not applied again), then deleted; the number of rows is capped by federation.max_iocs.
ALTER TABLE federation_ioc ADD COLUMN state TEXT NOT NULL DEFAULT 'ACTIVE'
    CHECK (state IN ('ACTIVE', 'AWAITING_CONFIRMATION', 'WITHDRAWN'));
ALTER TABLE federation_ioc ADD COLUMN valid_until INTEGER;
ALTER TABLE federation_ioc ADD COLUMN changed_at INTEGER;
ALTER TABLE federation_ioc ADD COLUMN forget_at INTEGER;
UPDATE federation_ioc SET changed_at = applied_at;
CREATE INDEX federation_ioc_state ON federation_ioc (state);

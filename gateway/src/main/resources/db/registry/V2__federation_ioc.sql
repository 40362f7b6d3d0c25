-- IOCs applied from the federation (AURORA.ioc_sharing), keyed by the STIX indicator id: a replayed
-- indicator finds its id here and changes nothing. FIRMWARE_HASH rows are the hashes revoked by the
-- federation (the verifier refuses them beside the manifest's own revocations); DEVICE_ID rows name
-- compromised devices, quarantined when they are or become registered.
CREATE TABLE federation_ioc (
    ioc_id     TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('FIRMWARE_HASH', 'DEVICE_ID')),
    value      TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
);
CREATE INDEX federation_ioc_value ON federation_ioc (kind, value);

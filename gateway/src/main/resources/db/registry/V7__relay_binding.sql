-- Issue 13 part 3: relays (aggregating gateways such as AuroraSOC's ESP32-S3 BLE gateway). A child
-- device bound to a relay by an operator (`devices bind CHILD --relay RELAY`); a relay may publish
-- and receive only for the devices bound to it. Bindings from the endorsement list (`relay:` on the
-- child's entry) are not stored here: the signed list is their record. An operator binding of a child
-- wins over its endorsement binding; `devices unbind` removes the operator binding only.
CREATE TABLE relay_binding (
    child_id  TEXT    PRIMARY KEY,
    relay_id  TEXT    NOT NULL CHECK (relay_id <> child_id),
    -- the operator who bound it (ops header X-Aurora-Operator)
    bound_by  TEXT    NOT NULL,
    bound_at  INTEGER NOT NULL
);
CREATE INDEX relay_binding_relay ON relay_binding (relay_id);

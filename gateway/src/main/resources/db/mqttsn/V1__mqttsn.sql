-- The MQTT-SN gateway's state that must survive a restart (mqttsn.db, its own file):
-- each device's registered topic ids, the sleeping devices, and what waits for them.
CREATE TABLE sn_topic (
    device_id   TEXT NOT NULL,
    topic_id    INTEGER NOT NULL,
    topic_name  TEXT NOT NULL,
    PRIMARY KEY (device_id, topic_id)
);
CREATE UNIQUE INDEX sn_topic_name ON sn_topic (device_id, topic_name);

CREATE TABLE sn_sleeper (
    device_id   TEXT PRIMARY KEY,
    address     TEXT NOT NULL,           -- host:port it slept from (a plaintext wake must come from it)
    sleep_s     INTEGER NOT NULL,
    since_ms    INTEGER NOT NULL
);

CREATE TABLE sn_queue (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id   TEXT NOT NULL,
    topic_id    INTEGER NOT NULL,        -- a predefined gateway -> device id
    payload     BLOB NOT NULL,
    qos         INTEGER NOT NULL,        -- 0 for cumulative acks (only the newest is kept), 1 otherwise
    queued_ms   INTEGER NOT NULL
);
CREATE INDEX sn_queue_device ON sn_queue (device_id, id);

-- Eviction takes the oldest telemetry first; this index makes finding it cheap at any backlog size.
CREATE INDEX outbox_channel_seq ON outbox (channel, seq);

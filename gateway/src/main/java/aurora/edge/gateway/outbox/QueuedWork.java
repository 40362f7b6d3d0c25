package aurora.edge.gateway.outbox;

/** What the writer thread takes from its queue, in order: an event to store, or a decision about held data. */
sealed interface QueuedWork permits PendingEvent, HoldDecision {}

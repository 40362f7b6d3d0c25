package aurora.edge.gateway.outbox;

/**
 * Told once what became of one offered event: {@link #stored()} after the group commit that made
 * it durable (or found it a duplicate of a stored one, or consumed its seq), {@link #notStored()}
 * when no commit will take it (refused at commit over the device quota, a failed commit of a device
 * message, which its device resends, or a gateway event dropped after repeated failures). Never
 * told when {@link Outbox#offer} returned false. Runs on the outbox writer thread: it must only
 * hand work off, and must not throw.
 */
public interface StoreReceipt {
    /** For events nobody waits on. */
    StoreReceipt NONE = new StoreReceipt() {
        @Override
        public void stored() {}

        @Override
        public void notStored() {}
    };

    void stored();

    void notStored();
}

package aurora.edge.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Locale;

/**
 * Two nats-servers as in a site deployment: a hub with JetStream domain {@value #HUB_DOMAIN} and a
 * leaf (the gateway's box) with domain {@value #LEAF_DOMAIN}, linked by a leaf node connection
 * from leaf to hub, both in account {@code ACC} (system account {@code SYS}). Clients connect to
 * the leaf with {@link #leafUrl()} and reach the hub's JetStream with the domain {@value #HUB_DOMAIN}.
 *
 * <p>The link can be cut in two ways: {@link #cutLink()} restarts the leaf without its remote
 * (both servers keep their JetStream), or {@code hub().kill()} takes the hub away entirely.
 */
public final class NatsHubLeaf implements AutoCloseable {
    public static final String HUB_DOMAIN = "hub";
    public static final String LEAF_DOMAIN = "leaf";
    public static final String ACCOUNT = "ACC";
    private static final String USER = "acc";
    private static final String PASSWORD = "acc-secret";
    private static final String ACCOUNTS = String.format(Locale.ROOT, """
            accounts {
              SYS: { users: [ { user: sys, password: sys-secret } ] }
              ACC: { users: [ { user: %s, password: %s } ], jetstream: enabled }
            }
            system_account: SYS
            """, USER, PASSWORD);
    private static final Duration LINK_DEADLINE = Duration.ofSeconds(20);

    private final NatsServerProcess hub;
    private final NatsServerProcess leaf;
    private final NatsServerProcess.Builder leafSpec;

    private NatsHubLeaf(NatsServerProcess hub, NatsServerProcess leaf, NatsServerProcess.Builder leafSpec) {
        this.hub = hub;
        this.leaf = leaf;
        this.leafSpec = leafSpec;
    }

    /** Starts the hub, then the leaf, and waits until the hub's JetStream answers through the leaf. */
    public static NatsHubLeaf start() {
        NatsServerProcess hub = NatsServerProcess.builder()
                .serverName("hub")
                .domain(HUB_DOMAIN)
                .leafnodeListener()
                .accounts(ACCOUNTS)
                .user(USER, PASSWORD)
                .start();
        NatsServerProcess leaf = null;
        try {
            NatsServerProcess.Builder leafSpec = NatsServerProcess.builder()
                    .serverName("leaf")
                    .domain(LEAF_DOMAIN)
                    .leafRemote(
                            String.format(
                                    Locale.ROOT, "nats-leaf://%s:%s@127.0.0.1:%d", USER, PASSWORD, hub.leafnodePort()),
                            ACCOUNT)
                    .accounts(ACCOUNTS)
                    .user(USER, PASSWORD);
            leaf = leafSpec.start();
            NatsHubLeaf topology = new NatsHubLeaf(hub, leaf, leafSpec);
            topology.awaitLinked();
            return topology;
        } catch (RuntimeException e) {
            if (leaf != null) {
                leaf.close();
            }
            hub.close();
            throw e;
        }
    }

    public NatsServerProcess hub() {
        return hub;
    }

    public NatsServerProcess leaf() {
        return leaf;
    }

    /** Client URL of the leaf (what a gateway connects to), credentials included. */
    public String leafUrl() {
        return leaf.url();
    }

    /** Client URL of the hub, credentials included. */
    public String hubUrl() {
        return hub.url();
    }

    /** A probe connected to the leaf, on the given JetStream domain ({@value #HUB_DOMAIN} or {@value #LEAF_DOMAIN}). */
    public NatsProbe probeViaLeaf(String domain) {
        return leaf.probe(domain);
    }

    /** Restarts the leaf without its remote: the hub is unreachable from the leaf, both keep their store. */
    public void cutLink() {
        leafSpec.leafRemoteEnabled(false);
        leaf.restart();
    }

    /** Restarts the leaf with its remote (and the hub if it was killed) and waits until they are linked. */
    public void healLink() {
        if (!hub.isRunning()) {
            hub.restart();
        }
        leafSpec.leafRemoteEnabled(true);
        leaf.restart();
        awaitLinked();
    }

    /** Waits until the hub's JetStream answers through the leaf. */
    public void awaitLinked() {
        NatsProbe viaLeaf = probeViaLeaf(HUB_DOMAIN);
        await("hub JetStream reachable through leaf " + leaf)
                .atMost(LINK_DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(viaLeaf::jetStreamAnswers);
    }

    /** Whether the hub's JetStream answers through the leaf right now. */
    public boolean isLinked() {
        return probeViaLeaf(HUB_DOMAIN).jetStreamAnswers();
    }

    @Override
    public void close() {
        try {
            leaf.close();
        } finally {
            hub.close();
        }
    }
}

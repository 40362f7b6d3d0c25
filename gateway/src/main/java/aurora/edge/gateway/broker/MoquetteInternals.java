package aurora.edge.gateway.broker;

import io.moquette.broker.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandler;
import io.netty.util.AttributeKey;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The only class that reaches into Moquette 0.17's private fields, because 0.17 offers no hook for
 * what the gateway must do before Moquette sees a packet (it builds each connection's Netty
 * pipeline itself, {@code NewNettyAcceptor.configureMQTTPipeline}, with no extension point) and
 * does not expose its queue depths. Pinned to 0.17 (the version the parent pom fixes): any change
 * of these fields makes {@link #installFrontHandler} throw and the gateway refuse to start, never
 * run unguarded. Not a fork: Moquette's code is unchanged.
 */
final class MoquetteInternals {
    private MoquetteInternals() {}

    /**
     * Puts {@code handler} into every connection's pipeline from now on. Moquette 0.17 adds the
     * acceptor's optional "errors catcher" (meant for Bugsnag, off here) to each new pipeline ahead
     * of the MQTT decoder; setting that slot is the one place a handler of ours gets in front of
     * Moquette. Connections accepted before this call have no such handler: the authenticator
     * refuses them (see {@link ClientConnection#current()}).
     */
    static void installFrontHandler(Server server, ChannelInboundHandler handler) {
        Object acceptor = read(server, Server.class, "acceptor");
        if (acceptor == null) {
            throw new IllegalStateException("moquette has no acceptor: the broker did not start");
        }
        Field slot = field(acceptor.getClass(), "errorsCather");
        try {
            slot.set(acceptor, Optional.of(handler));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot install the gateway's connection guard into moquette 0.17", e);
        }
    }

    /** Tasks waiting for Moquette's interceptor thread (onPublish, onConnect, ...); its queue has no bound of its own. */
    static BlockingQueue<Runnable> interceptorQueue(Server server) {
        return interceptorThread(server).getQueue();
    }

    /**
     * Moquette's interceptor executor (one thread, {@code intercept.thread_pool.size}), where
     * {@link PublishListener} runs intake; {@link DurablePublishes} hands its publishes to the same
     * thread, so intake keeps one thread and one order, under the same backlog bound.
     */
    static ThreadPoolExecutor interceptorThread(Server server) {
        Object interceptor = read(server, Server.class, "interceptor");
        Object executor = read(interceptor, interceptor.getClass(), "executor");
        if (!(executor instanceof ThreadPoolExecutor pool)) {
            throw new IllegalStateException("moquette's interceptor executor is not a ThreadPoolExecutor: " + executor);
        }
        return pool;
    }

    /** The session loops' command queues (bounded by {@code session_queue_size}; a full one drops the command). */
    static Collection<BlockingQueue<?>> sessionQueues(Server server) {
        Object postOffice = read(server, Server.class, "dispatcher");
        Object loops = read(postOffice, postOffice.getClass(), "sessionLoops");
        Object queues = read(loops, loops.getClass(), "sessionQueues");
        if (!(queues instanceof BlockingQueue<?>[] array)) {
            throw new IllegalStateException("moquette's session queues are not an array of queues: " + queues);
        }
        return java.util.List.of(array);
    }

    /**
     * Whether Moquette takes the connection on {@code channel} as connected (its {@code MQTTConnection},
     * kept in the channel attribute "connection", has had its CONNACK written); see {@link ConnackGate}.
     */
    static boolean moquetteConnected(Channel channel) {
        Object connection = channel.attr(MOQUETTE_CONNECTION).get();
        if (connection == null) {
            return false;
        }
        try {
            return (boolean) IS_CONNECTED.invoke(connection);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot ask moquette 0.17 whether a connection is connected", e);
        }
    }

    private static final AttributeKey<Object> MOQUETTE_CONNECTION = AttributeKey.valueOf("connection");
    private static final Method IS_CONNECTED = connectedMethod();

    private static Method connectedMethod() {
        try {
            Method m = Class.forName("io.moquette.broker.MQTTConnection").getDeclaredMethod("isConnected");
            m.setAccessible(true);
            return m;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalStateException(
                    "moquette " + Server.MOQUETTE_VERSION
                            + " has no MQTTConnection.isConnected(); the gateway's connection guard is written for 0.17",
                    e);
        }
    }

    private static Object read(Object target, Class<?> type, String name) {
        try {
            return field(type, name).get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read moquette 0.17 field " + type.getSimpleName() + "." + name, e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "moquette " + Server.MOQUETTE_VERSION + " has no field " + type.getSimpleName() + "." + name
                            + "; the gateway's connection guard is written for 0.17",
                    e);
        }
    }
}

package aurora.edge.gateway.tls;

import aurora.edge.gateway.config.GatewayConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT over TLS listener's certificates and trust, live: TLS 1.3 and 1.2 with the server
 * certificate of {@code mqtt.tls.cert}/{@code mqtt.tls.key}, device certificates judged by
 * {@link DeviceTrust}. Every {@code mqtt.tls.reload_interval} it stamps its files (server
 * certificate and key, CA bundle, CRL, revoked-device list); when one changed it builds a new
 * generation, hands new connections to it, and tells the listener (which re-checks open sessions).
 * A generation that cannot be built (a half-written file, a CRL that does not verify) is logged and
 * the current one stays, until the files change again.
 */
public final class ServerTls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** What changed in a reload: the device ids newly on the revoked-device list, each with who revoked it. */
    public record Reload(Map<String, String> newlyRevokedDevices) {}

    private final GatewayConfig.Tls config;
    private final Path revokedDevicesFile;
    private final SwappableSslContext context;
    private final ScheduledExecutorService watcher;
    private volatile Consumer<Reload> onReload = r -> {};
    private volatile DeviceTrust trust;
    private List<FileStamp> stamps;
    /** The stamps of files that could not be loaded: not tried (nor logged) again until they change once more. */
    private List<FileStamp> refused = List.of();

    private ServerTls(GatewayConfig.Tls config, Path revokedDevicesFile) throws IOException {
        this.config = config;
        this.revokedDevicesFile = revokedDevicesFile;
        this.stamps = stamps();
        this.trust = DeviceTrust.load(
                config.ca(),
                config.crl(),
                RevokedDevices.read(revokedDevicesFile).keySet());
        this.context = new SwappableSslContext(build(trust));
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-reload");
            t.setDaemon(true);
            return t;
        });
        long every = config.reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    /** Loads the files (failing on any problem: a listener that cannot serve is a start-up error) and starts watching them. */
    public static ServerTls start(GatewayConfig.Tls config, Path revokedDevicesFile) throws IOException {
        return new ServerTls(config, revokedDevicesFile);
    }

    /** What to do after each reload (set once, before devices can connect). */
    public void onReload(Consumer<Reload> listener) {
        this.onReload = listener;
    }

    /** The context Moquette makes the TLS listener's engines from. */
    public SslContext sslContext() {
        return context;
    }

    /** Holds an open session's chain to the current trust: throws {@link CertificateRevoked} for a revoked one. */
    public void check(X509Certificate[] chain) throws CertificateException {
        trust.check(chain);
    }

    /** Whether {@code deviceId} is on the revoked-device list (refused on every listener). */
    public boolean deviceRevoked(String deviceId) {
        return trust.deviceRevoked(deviceId);
    }

    private SslContext build(DeviceTrust deviceTrust) throws IOException {
        List<X509Certificate> chain = Pem.certificates(config.cert());
        PrivateKey key = Pem.privateKey(config.key());
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IOException(config.key() + ": a " + key.getAlgorithm() + " key does not fit the "
                    + chain.get(0).getPublicKey().getAlgorithm() + " certificate of " + config.cert());
        }
        try {
            return SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .trustManager(deviceTrust)
                    .clientAuth(config.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    config.cert() + " with " + config.key() + ": cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    private List<FileStamp> stamps() {
        return Stream.of(config.cert(), config.key(), config.ca(), config.crl(), revokedDevicesFile)
                .map(FileStamp::of)
                .toList();
    }

    /** One poll: rebuilds and swaps when a file changed. Never throws (it runs on a timer). */
    void reloadIfChanged() {
        try {
            List<FileStamp> now = stamps();
            if (now.equals(stamps) || now.equals(refused)) {
                return;
            }
            refused = now;
            Map<String, String> revokers = RevokedDevices.read(revokedDevicesFile);
            DeviceTrust next = DeviceTrust.load(config.ca(), config.crl(), revokers.keySet());
            context.swap(build(next));
            Map<String, String> newlyRevoked = new LinkedHashMap<>(revokers);
            newlyRevoked.keySet().removeAll(trust.revokedDevices());
            trust = next;
            stamps = now;
            log.info(
                    "tls material reloaded cert={} ca={} crl={} revoked_devices={}",
                    config.cert(),
                    config.ca(),
                    config.crl(),
                    next.revokedDevices().size());
            onReload.accept(new Reload(Map.copyOf(newlyRevoked)));
        } catch (IOException | RuntimeException e) {
            log.warn("tls material not reloaded, the current one stays error={}", e.getMessage());
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}

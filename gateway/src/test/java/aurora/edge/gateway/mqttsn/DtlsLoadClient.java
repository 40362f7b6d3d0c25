package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.sim.sn.DtlsPskLink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A child JVM for {@link DtlsListenerIT}: opens many DTLS PSK associations to a gateway and holds
 * them idle until its stdin closes, so the gateway's heap can be measured without the clients in it.
 * Args: host port site-key-file count. Prints one line with the handshake times, then "ready".
 */
public final class DtlsLoadClient {
    private DtlsLoadClient() {}

    public static void main(String[] args) throws IOException {
        InetSocketAddress gateway = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        DeviceCredentials credentials = new DeviceCredentials(SiteKey.load(Path.of(args[2])));
        int count = Integer.parseInt(args[3]);
        List<DtlsPskLink> links = new ArrayList<>();
        long[] millis = new long[count];
        for (int i = 0; i < count; i++) {
            String id = "load-" + i;
            long started = System.nanoTime();
            links.add(DtlsPskLink.connect(gateway, id, credentials.pskFor(id), Duration.ofSeconds(10)));
            millis[i] = (System.nanoTime() - started) / 1_000_000;
        }
        long[] warm = Arrays.copyOfRange(millis, Math.min(20, count), count);
        Arrays.sort(warm);
        System.out.println("handshakes=" + count + " first_ms=" + millis[0] + " warm_median_ms="
                + (warm.length == 0 ? -1 : warm[warm.length / 2]) + " warm_p99_ms="
                + (warm.length == 0 ? -1 : warm[(int) (warm.length * 0.99)]));
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the associations until the parent closes stdin
        }
        links.forEach(DtlsPskLink::drop);
    }
}

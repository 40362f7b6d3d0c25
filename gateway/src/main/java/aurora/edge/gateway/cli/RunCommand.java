package aurora.edge.gateway.cli;

import aurora.edge.gateway.Gateway;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.ops.SystemdNotifier;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the gateway until SIGTERM/SIGINT, then stops it gracefully. */
@Command(name = "run", description = "Run the gateway until stopped (SIGTERM stops it gracefully).")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        GatewayConfig c;
        try {
            c = config.load();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        Gateway gateway = Gateway.start(c, Clock.systemUTC());
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv());
        Gauge.builder("aurora_systemd_notify_failures", systemd, SystemdNotifier::failures)
                .description("sd_notify datagrams that could not be sent")
                .register(gateway.metrics().registry());
        systemd.ready("serving mqtt_port=" + gateway.mqttPort() + " http_port=" + gateway.httpPort());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "systemd-watchdog");
            t.setDaemon(true);
            return t;
        });
        // The watchdog is fed only while the pipeline moves: a stuck outbox writer gets the service restarted.
        systemd.scheduleWatchdog(watchdog, gateway::stallReason);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            systemd.stopping();
                            watchdog.shutdownNow();
                            gateway.close();
                            systemd.close();
                            stopped.countDown();
                            // A JVM ended by SIGTERM exits 143 even after a clean stop; a graceful stop is a success.
                            Runtime.getRuntime().halt(ExitCodes.OK);
                        },
                        "shutdown"));
        log.info("running mqtt_port={} http_port={}", gateway.mqttPort(), gateway.httpPort());
        stopped.await();
        return ExitCodes.OK;
    }
}

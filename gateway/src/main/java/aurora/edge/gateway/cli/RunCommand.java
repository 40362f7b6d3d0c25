package aurora.edge.gateway.cli;

import aurora.edge.gateway.Gateway;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        log.info("running mqtt_port={} http_port={}", gateway.mqttPort(), gateway.httpPort());
        stopped.await();
        return ExitCodes.OK;
    }
}

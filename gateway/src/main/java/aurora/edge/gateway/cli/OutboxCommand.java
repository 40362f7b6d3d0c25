package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.forward.JetStreamSink;
import aurora.edge.gateway.forward.RedisStreamSink;
import aurora.edge.gateway.ops.StatusReport;
import aurora.edge.gateway.outbox.OutboxInspector;
import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.store.Vacuum;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code outbox status}: what is stored and how far behind each sink is, read from the database;
 * the drain rate and time to empty come from the running gateway (its ops port), when it runs.
 * {@code outbox vacuum}: an offline {@code VACUUM} that gives the free pages back to the file
 * system, with progress by bytes on standard error.
 */
@Command(
        name = "outbox",
        description = "Inspect the durable outbox, or compact it while the gateway is stopped.",
        subcommands = {OutboxCommand.Status.class, OutboxCommand.VacuumCommand.class})
public final class OutboxCommand {

    @Command(
            name = "status",
            description =
                    "Print stored events and the backlog per sink, with drain rate and time to empty while the gateway runs.")
    static final class Status implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() throws IOException, InterruptedException {
            GatewayConfig c;
            try {
                c = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            var status = new OutboxInspector(Database.open(c.store().databaseFile()))
                    .status(List.of(RedisStreamSink.NAME, JetStreamSink.NAME));
            OpsClient ops = OpsClient.of(c.http());
            Optional<StatusReport> live = live(ops);
            if (json) {
                ObjectNode out = JSON.valueToTree(status);
                out.put("gatewayRunning", live.isPresent());
                live.ifPresent(r -> r.sinks().forEach(s -> {
                    if (out.path("sinks").get(s.name()) instanceof ObjectNode sink) {
                        sink.put("drainRatePerSecond", s.drainRatePerSecond());
                        sink.put("etaSeconds", s.etaSeconds());
                    }
                }));
                System.out.println(JSON.writeValueAsString(out));
                return ExitCodes.OK;
            }
            System.out.println("stored events: " + status.storedEvents() + " (" + status.storedBytes()
                    + " bytes), last seq: " + status.lastSeq() + ", evicted: "
                    + (status.evicted().isEmpty() ? "none" : status.evicted()));
            status.sinks()
                    .forEach((sink, b) -> System.out.println("sink " + sink + ": cursor " + b.cursor() + ", backlog "
                            + b.backlog()
                            + (b.oldestUndelivered() == null ? "" : ", oldest undelivered " + b.oldestUndelivered())
                            + live.flatMap(r -> r.sinks().stream()
                                            .filter(s -> s.name().equals(sink))
                                            .findFirst())
                                    .map(Status::drain)
                                    .orElse("")));
            if (live.isEmpty()) {
                System.out.println(
                        "drain rate and time to empty: gateway not running (no answer at " + ops.base() + ")");
            }
            return ExitCodes.OK;
        }

        static Optional<StatusReport> live(OpsClient ops) throws InterruptedException {
            try {
                return Optional.of(ops.status());
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private static String drain(StatusReport.SinkStatus s) {
            return ", drain " + Math.round(s.drainRatePerSecond()) + "/s, empty in "
                    + (s.backlog() == 0 ? "0s" : s.etaSeconds() < 0 ? "unknown (not draining)" : s.etaSeconds() + "s")
                    + (s.connected() ? "" : " (sink down)");
        }
    }

    @Command(
            name = "vacuum",
            description =
                    "Compact the outbox database (an offline VACUUM: the gateway must be stopped), with progress.")
    static final class VacuumCommand implements Callable<Integer> {
        /** How often the copy's size is looked at. */
        private static final long POLL_MILLIS = 100;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws InterruptedException {
            GatewayConfig c;
            try {
                c = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            OpsClient ops = OpsClient.of(c.http());
            if (Status.live(ops).isPresent()) {
                System.err.println("outbox vacuum: the gateway is running (it answers at " + ops.base()
                        + "); stop it first: a VACUUM needs the database to itself");
                return ExitCodes.FAILED;
            }
            Path file = c.store().databaseFile();
            if (!Files.exists(file)) {
                System.err.println("outbox vacuum: no database at " + file);
                return ExitCodes.FAILED;
            }
            Database db = Database.open(file);
            long before = size(file);
            long live = Vacuum.liveBytes(db);
            Path target = Vacuum.targetOf(db);
            ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-vacuum"));
            try (Progress progress = Progress.onStderr("vacuum " + file.getFileName(), live, "bytes")) {
                Future<?> copy = worker.submit(() -> Vacuum.into(db));
                while (!copy.isDone()) {
                    progress.at(size(target));
                    Thread.sleep(POLL_MILLIS);
                }
                copy.get();
                // Done: all of it. The live size was the estimate (the copy packs pages tighter); the sizes follow.
                progress.at(live);
            } catch (ExecutionException e) {
                System.err.println("outbox vacuum failed: " + e.getCause());
                return ExitCodes.FAILED;
            } finally {
                worker.shutdownNow();
            }
            Vacuum.replace(db);
            System.err.println("outbox vacuum: " + file + " " + before + " -> " + size(file) + " bytes");
            return ExitCodes.OK;
        }

        private static long size(Path file) {
            try {
                return Files.exists(file) ? Files.size(file) : 0;
            } catch (IOException e) {
                return 0;
            }
        }
    }
}

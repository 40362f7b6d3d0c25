package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.outbox.OutboxInspector;
import aurora.edge.gateway.store.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code outbox status}: what is stored and how far behind each sink is, read from the database. */
@Command(name = "outbox", description = "Inspect the durable outbox.", subcommands = OutboxCommand.Status.class)
public final class OutboxCommand {

    @Command(name = "status", description = "Print stored events and the backlog per sink.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() throws IOException {
            GatewayConfig c;
            try {
                c = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            var status = new OutboxInspector(Database.open(c.store().databaseFile())).status();
            if (json) {
                System.out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(status));
            } else {
                System.out.println("stored events: " + status.storedEvents() + " (" + status.storedBytes() + " bytes), last seq: "
                        + status.lastSeq() + ", evicted: " + (status.evicted().isEmpty() ? "none" : status.evicted()));
                status.sinks().forEach((sink, b) -> System.out.println("sink " + sink + ": cursor " + b.cursor() + ", backlog " + b.backlog()
                        + (b.oldestUndelivered() == null ? "" : ", oldest undelivered " + b.oldestUndelivered())));
            }
            return ExitCodes.OK;
        }
    }
}

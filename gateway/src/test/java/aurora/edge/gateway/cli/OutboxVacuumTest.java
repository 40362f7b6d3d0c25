package aurora.edge.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.Main;
import aurora.edge.gateway.store.Database;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outbox vacuum}: an offline VACUUM of the outbox database with progress on standard error. */
class OutboxVacuumTest {
    @TempDir
    Path dir;

    private Path config(int httpPort) throws Exception {
        return Files.writeString(
                dir.resolve("gateway.yaml"),
                "data:\n  dir: " + dir.resolve("data") + "\nhttp:\n  host: 127.0.0.1\n  port: " + httpPort + "\n");
    }

    private Path outboxWithFreePages() throws Exception {
        Path file = dir.resolve("data").resolve("aurora-edge.db");
        Database db = Database.open(file);
        try (Connection c = db.openWriter();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ballast (id INTEGER PRIMARY KEY, data BLOB)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ballast (data) VALUES (?)")) {
                for (int i = 0; i < 400; i++) {
                    ps.setBytes(1, new byte[16 * 1024]);
                    ps.executeUpdate();
                }
            }
            st.execute("DELETE FROM ballast WHERE id > 1");
        }
        return file;
    }

    @Test
    void aStoppedGatewaysOutboxIsCompactedKeepingItsRowsAndTheProgressIsReported() throws Exception {
        Path file = outboxWithFreePages();
        long before = Files.size(file);
        // Port 1: nothing listens there, so no gateway answers.
        Result r = run("outbox", "vacuum", "--config", config(1).toString());

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err)
                .contains("vacuum aurora-edge.db: ", " bytes (100%)", "bytes/s, done in ", "outbox vacuum: " + file);
        assertThat(Files.size(file)).isLessThan(before / 4);
        assertThat(Files.exists(file.resolveSibling("aurora-edge.db.vacuum"))).isFalse();
        try (Connection c = Database.open(file).openReader();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ballast")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void itRefusesWhileTheGatewayAnswersOnItsOpsPort() throws Exception {
        Path file = outboxWithFreePages();
        long before = Files.size(file);
        HttpServer ops = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ops.createContext("/status", ex -> {
            byte[] body = "{\"ready\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ops.start();
        try {
            Result r = run(
                    "outbox",
                    "vacuum",
                    "--config",
                    config(ops.getAddress().getPort()).toString());
            assertThat(r.exit).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err).contains("the gateway is running", "stop it first");
        } finally {
            ops.stop(0);
        }
        assertThat(Files.size(file)).isEqualTo(before);
    }

    private record Result(int exit, String err) {}

    private static Result run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.commandLine().execute(args);
            return new Result(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }
}

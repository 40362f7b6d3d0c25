package aurora.edge.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The gateway's SQLite database: opens connections with the durability settings the outbox
 * promises (WAL, {@code synchronous=FULL}) and runs the Flyway migrations once at start.
 * {@code synchronous} is a per-connection setting, so every connection is made here.
 * A new file is created with {@code auto_vacuum=INCREMENTAL}, so freed pages can be handed back.
 */
public final class Database {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** After a WAL reset SQLite truncates the {@code -wal} file back to this size. */
    public static final long JOURNAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

    public static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final String url;
    private final String migrations;

    private Database(Path file, String migrations) {
        this.file = file;
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.migrations = migrations;
    }

    /** Creates the directory if needed, migrates the schema to the newest version and returns the database. */
    public static Database open(Path file) {
        return open(file, "classpath:db/migration");
    }

    /** The same, for a database with its own migrations (the device registry: {@code classpath:db/registry}). */
    public static Database open(Path file, String migrations) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create data directory for " + file, e);
        }
        Database db = new Database(file, migrations);
        db.prepareNewFile();
        db.migrate();
        return db;
    }

    public Path file() {
        return file;
    }

    /** The write-ahead log beside the file; it exists while connections are open. */
    public Path walFile() {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    /** The writer's connection: IMMEDIATE transactions so a write never fails on a lock upgrade. */
    public Connection openWriter() {
        return open(SQLiteConfig.TransactionMode.IMMEDIATE, false);
    }

    /** A reader's connection; WAL lets readers run beside the writer. */
    public Connection openReader() {
        return open(SQLiteConfig.TransactionMode.DEFERRED, true);
    }

    private Connection open(SQLiteConfig.TransactionMode mode, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalSizeLimit((int) JOURNAL_SIZE_LIMIT_BYTES);
        config.setTransactionMode(mode);
        config.setReadOnly(readOnly);
        try {
            return config.createConnection(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open database " + file, e);
        }
    }

    /**
     * Gives a new, empty file incremental auto-vacuum. SQLite takes that setting only before the
     * file's first page is written, and switching to WAL already writes it, so this runs on a plain
     * connection before any other. An existing file keeps what it was created with; only a VACUUM changes it.
     */
    private void prepareNewFile() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try (Connection c = config.createConnection(url);
                Statement st = c.createStatement()) {
            try (ResultSet pages = st.executeQuery("PRAGMA page_count")) {
                if (pages.next() && pages.getLong(1) > 0) {
                    return;
                }
            }
            st.execute("PRAGMA auto_vacuum = INCREMENTAL");
            st.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            throw new StoreException("cannot create database " + file, e);
        }
    }

    private void migrate() {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(
                            url + "?journal_mode=WAL&synchronous=FULL&busy_timeout=" + BUSY_TIMEOUT_MILLIS, null, null)
                    .locations(migrations)
                    .load()
                    .migrate();
            log.info(
                    "database ready file={} schema_version={} migrations_applied={}",
                    file,
                    result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new StoreException("database migration failed for " + file, e);
        }
    }
}

package aurora.edge.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An offline {@code VACUUM} of a database file, done so its progress can be watched: the live pages
 * are copied with {@code VACUUM INTO} to a new file beside it (whose size grows towards
 * {@link #liveBytes}), which then replaces the old one. Only while nothing else has the file open:
 * the command line checks that the gateway is stopped first.
 */
public final class Vacuum {
    private Vacuum() {}

    /** What a vacuum keeps: the pages in use, in bytes (the file without its free pages). */
    public static long liveBytes(Database db) {
        try (Connection c = db.openReader();
                Statement st = c.createStatement()) {
            return single(st, "PRAGMA page_size")
                    * (single(st, "PRAGMA page_count") - single(st, "PRAGMA freelist_count"));
        } catch (SQLException e) {
            throw new StoreException("cannot measure " + db.file(), e);
        }
    }

    /** The compacted copy's name: beside the file, so the final move is a rename on one file system. */
    public static Path targetOf(Database db) {
        return db.file().resolveSibling(db.file().getFileName() + ".vacuum");
    }

    /** Checkpoints the write-ahead log into the file, then writes a compacted copy to {@link #targetOf}. */
    public static void into(Database db) {
        Path target = targetOf(db);
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new StoreException("cannot remove an old " + target, e);
        }
        try (Connection c = db.openWriter();
                Statement st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            st.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new StoreException("VACUUM INTO " + target + " failed", e);
        }
    }

    /**
     * Puts the compacted copy in place of the file. Its write-ahead log was checkpointed into it
     * before the copy, so the old {@code -wal} and {@code -shm} files are removed with it.
     */
    public static void replace(Database db) {
        Path target = targetOf(db);
        try {
            Files.move(target, db.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(db.walFile());
            Files.deleteIfExists(db.file().resolveSibling(db.file().getFileName() + "-shm"));
        } catch (IOException e) {
            throw new StoreException("cannot put " + target + " in place of " + db.file(), e);
        }
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

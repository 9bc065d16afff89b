package be.idsvc.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Readiness of the store: whether it takes a committed write now. A read would pass on a full disk
 * or a read-only file system, where every flow step fails, so the probe rewrites the one row of
 * {@code idsvc_probe} (a single-row update, committed, holding its row lock for microseconds).
 */
public final class StoreProbe {
    private final DataSource ds;

    public StoreProbe(DataSource ds) {
        this.ds = ds;
    }

    /** Throws {@link StoreUnavailableException} with the database's reason when the write fails. */
    public void write(long now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE idsvc_probe SET probed_at = ? WHERE id = 1")) {
            ps.setLong(1, now);
            if (ps.executeUpdate() != 1) throw new StoreUnavailableException("store unavailable: the probe row is missing", null);
        } catch (SQLException e) {
            throw new StoreUnavailableException("store unavailable: " + e.getMessage(), e);
        }
    }
}

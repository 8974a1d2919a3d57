package dev.edgetwin.bench.baseline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.edgetwin.bench.Workload;

/**
 * The baseline: a device-twin store laid out and driven like a KubeEdge edge's SQLite
 * database (edgecore's {@code dtclient}: tables {@code device}, {@code device_attr},
 * {@code device_twin}, created the way beego ORM creates them).
 *
 * <p>{@link #update} is one KubeEdge twin update of a reported ("actual") value, in its own
 * transaction, as {@code DeviceTwinTrans} does: read the device's twin row, then update it
 * (bumping {@code actual_version}'s edge counter and {@code actual_meta}'s timestamp) or insert
 * it when the device exists but lacks the property, then commit. KubeEdge reads the row from
 * its in-memory cache; here it is read from the table, which costs one lookup per update.
 * The stored value formats follow KubeEdge's {@code dttype}: the raw value in {@code actual},
 * {@code {"timestamp":ms}} in {@code actual_meta}, {@code {"cloud":n,"edge":n}} in
 * {@code actual_version}, {@code {"type":"…"}} in {@code metadata}.
 *
 * <p>Durability follows {@link SqliteOptions}: with {@link SqliteOptions#KUBEEDGE} every commit
 * is fsynced. Not thread-safe beyond its synchronized methods; one connection, one writer.
 */
public final class SqliteTwinStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteTwinStore.class);
    private static final Pattern EDGE_VERSION = Pattern.compile("\"edge\":(\\d+)");
    private static final Pattern CLOUD_VERSION = Pattern.compile("\"cloud\":(\\d+)");

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS \"device\" (\"id\" varchar(64) NOT NULL PRIMARY KEY, \"name\" text, "
                    + "\"description\" text, \"state\" text, \"last_online\" text)",
            "CREATE TABLE IF NOT EXISTS \"device_attr\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "
                    + "\"deviceid\" text, \"name\" text, \"description\" text, \"value\" text, \"optional\" integer, "
                    + "\"attr_type\" text, \"metadata\" text)",
            "CREATE TABLE IF NOT EXISTS \"device_twin\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "
                    + "\"deviceid\" text, \"name\" text, \"description\" text, \"expected\" text, \"actual\" text, "
                    + "\"expected_meta\" text, \"actual_meta\" text, \"expected_version\" text, \"actual_version\" text, "
                    + "\"optional\" integer, \"attr_type\" text, \"metadata\" text)");

    /** A {@code device_twin} row. {@code expected}/{@code actual} are null when never set. */
    public record TwinRow(long id, String deviceId, String name, String expected, String actual, String actualMeta,
                          String actualVersion, String attrType, String metadata) {
        /** The edge counter of {@code actual_version} (0 when never reported). */
        public long actualEdgeVersion() {
            return versionPart(EDGE_VERSION, actualVersion);
        }
    }

    private final Connection conn;
    private final LongSupplier clock;
    private final PreparedStatement selectTwin;
    private final PreparedStatement updateTwin;
    private final PreparedStatement insertTwin;
    private final PreparedStatement selectDevice;
    private final PreparedStatement insertDevice;
    private final PreparedStatement insertAttr;

    private SqliteTwinStore(Connection conn, LongSupplier clock) throws SQLException {
        this.conn = conn;
        this.clock = clock;
        this.selectTwin = conn.prepareStatement("SELECT id, deviceid, name, expected, actual, actual_meta, actual_version, "
                + "attr_type, metadata FROM device_twin WHERE deviceid = ? AND name = ?");
        // like beego's QueryTable(...).Filter("deviceid", d).Filter("name", n).Update(cols)
        this.updateTwin = conn.prepareStatement("UPDATE device_twin SET actual = ?, actual_meta = ?, actual_version = ? "
                + "WHERE deviceid = ? AND name = ?");
        this.insertTwin = conn.prepareStatement("INSERT INTO device_twin (deviceid, name, description, expected, actual, "
                + "expected_meta, actual_meta, expected_version, actual_version, optional, attr_type, metadata) "
                + "VALUES (?, ?, '', NULL, ?, NULL, ?, NULL, ?, 1, ?, ?)");
        this.selectDevice = conn.prepareStatement("SELECT 1 FROM device WHERE id = ?");
        this.insertDevice = conn.prepareStatement("INSERT INTO device (id, name, description, state, last_online) VALUES (?, ?, '', 'unknown', '')");
        this.insertAttr = conn.prepareStatement("INSERT INTO device_attr (deviceid, name, description, value, optional, attr_type, metadata) "
                + "VALUES (?, ?, '', ?, 0, 'string', '{\"type\":\"string\"}')");
    }

    /** Opens (creating if needed) the database file {@code file}, configured by {@code options}. */
    public static SqliteTwinStore open(Path file, SqliteOptions options) {
        return open(file, options, System::currentTimeMillis);
    }

    /** As {@link #open(Path, SqliteOptions)}, with the clock that stamps {@code actual_meta}. */
    public static SqliteTwinStore open(Path file, SqliteOptions options, LongSupplier clock) {
        Connection conn = null;
        try {
            conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA journal_mode=" + options.journalMode());
                st.execute("PRAGMA synchronous=" + options.synchronous());
                for (String ddl : SCHEMA) st.execute(ddl);
                if (options.twinIndex()) {
                    st.execute("CREATE INDEX IF NOT EXISTS device_twin_deviceid_name ON device_twin (deviceid, name)");
                }
            }
            conn.setAutoCommit(false);
            SqliteTwinStore store = new SqliteTwinStore(conn, clock);
            LOG.info("baseline sqlite store {} open: journal_mode={} synchronous={} twinIndex={}",
                    file, store.pragma("journal_mode"), store.pragma("synchronous"), options.twinIndex());
            return store;
        } catch (SQLException e) {
            closeQuietly(conn);
            throw new BaselineException("sqlite:io", "cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Registers the workload's devices in one transaction: a {@code device} row, a
     * {@code serial} attribute and an empty twin row (no expected, no actual) per property.
     * A device already present is skipped.
     */
    public synchronized void register(Workload workload) {
        try {
            for (int d = 0; d < workload.devices(); d++) {
                String id = workload.deviceName(d);
                if (deviceExists(id)) continue;
                insertDevice.setString(1, id);
                insertDevice.setString(2, id);
                insertDevice.executeUpdate();
                insertAttr.setString(1, id);
                insertAttr.setString(2, "serial");
                insertAttr.setString(3, "SN-" + id);
                insertAttr.executeUpdate();
                for (Workload.Property p : workload.properties()) {
                    insertTwin(id, p.name(), null, p.type());
                }
            }
            conn.commit();
        } catch (SQLException e) {
            throw rollback("register " + workload.devices() + " devices", e);
        }
    }

    /**
     * Sets the reported value of {@code property} of {@code deviceId}, in one committed
     * transaction. Throws {@link BaselineException} {@code twin:device.notfound} (nothing
     * changed) when the device is not registered, {@code sqlite:io} when SQLite fails.
     */
    public synchronized void update(String deviceId, String property, String actualValue) {
        try {
            long now = clock.getAsLong();
            long cloud = 0;
            long edge = 0;
            boolean found;
            selectTwin.setString(1, deviceId);
            selectTwin.setString(2, property);
            try (ResultSet rs = selectTwin.executeQuery()) {
                found = rs.next();
                if (found) {
                    String version = rs.getString(7);
                    cloud = versionPart(CLOUD_VERSION, version);
                    edge = versionPart(EDGE_VERSION, version);
                }
            }
            if (found) {
                updateTwin.setString(1, actualValue);
                updateTwin.setString(2, meta(now));
                updateTwin.setString(3, version(cloud, edge + 1));
                updateTwin.setString(4, deviceId);
                updateTwin.setString(5, property);
                updateTwin.executeUpdate();
            } else if (deviceExists(deviceId)) {
                insertTwin(deviceId, property, actualValue, "string");
            } else {
                conn.rollback();
                throw new BaselineException("twin:device.notfound", "device " + deviceId + " is not registered", null);
            }
            conn.commit();
        } catch (SQLException e) {
            throw rollback("update " + deviceId + "/" + property, e);
        }
    }

    /** The twin row of {@code property} of {@code deviceId}, as committed. */
    public synchronized Optional<TwinRow> twin(String deviceId, String property) {
        try {
            selectTwin.setString(1, deviceId);
            selectTwin.setString(2, property);
            try (ResultSet rs = selectTwin.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new TwinRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        } catch (SQLException e) {
            throw new BaselineException("sqlite:io", "read " + deviceId + "/" + property + ": " + e.getMessage(), e);
        } finally {
            endReadTransaction();
        }
    }

    /** Rows in {@code table} ({@code device}, {@code device_attr} or {@code device_twin}). */
    public synchronized long count(String table) {
        if (!List.of("device", "device_attr", "device_twin").contains(table)) throw new IllegalArgumentException("no table " + table);
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new BaselineException("sqlite:io", "count " + table + ": " + e.getMessage(), e);
        } finally {
            endReadTransaction();
        }
    }

    /** The current value of a SQLite pragma, e.g. {@code journal_mode} → {@code delete}, {@code synchronous} → {@code 2}. */
    public synchronized String pragma(String name) {
        if (!name.matches("[a-z_]+")) throw new IllegalArgumentException("bad pragma name " + name);
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new BaselineException("sqlite:io", "pragma " + name + ": " + e.getMessage(), e);
        } finally {
            endReadTransaction();
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(conn);
    }

    private boolean deviceExists(String deviceId) throws SQLException {
        selectDevice.setString(1, deviceId);
        try (ResultSet rs = selectDevice.executeQuery()) {
            return rs.next();
        }
    }

    private void insertTwin(String deviceId, String property, String actual, String type) throws SQLException {
        insertTwin.setString(1, deviceId);
        insertTwin.setString(2, property);
        insertTwin.setString(3, actual);
        insertTwin.setString(4, actual == null ? null : meta(clock.getAsLong()));
        insertTwin.setString(5, version(0, actual == null ? 0 : 1));
        insertTwin.setString(6, type);
        insertTwin.setString(7, "{\"type\":\"" + type + "\"}");
        insertTwin.executeUpdate();
    }

    /** Reads run inside the connection's open transaction; end it so no read lock is held. */
    private void endReadTransaction() {
        try {
            conn.commit();
        } catch (SQLException e) {
            throw new BaselineException("sqlite:io", "end read: " + e.getMessage(), e);
        }
    }

    private BaselineException rollback(String what, SQLException cause) {
        try {
            conn.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
        return new BaselineException("sqlite:io", what + " failed: " + cause.getMessage(), cause);
    }

    private static String meta(long timestamp) {
        return "{\"timestamp\":" + timestamp + "}";
    }

    private static String version(long cloud, long edge) {
        return "{\"cloud\":" + cloud + ",\"edge\":" + edge + "}";
    }

    private static long versionPart(Pattern part, String version) {
        if (version == null) return 0;
        Matcher m = part.matcher(version);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void closeQuietly(Connection conn) {
        if (conn == null) return;
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing sqlite connection failed: {}", e.toString());
        }
    }
}

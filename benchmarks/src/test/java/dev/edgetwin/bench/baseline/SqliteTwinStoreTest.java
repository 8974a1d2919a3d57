package dev.edgetwin.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.edgetwin.bench.Workload;

/** The baseline is a real store: updates persist, reads return the latest value, reopening keeps the data. */
class SqliteTwinStoreTest {
    private static final Workload SMALL = new Workload(7, 20, 3);

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000);

    private SqliteTwinStore open(SqliteOptions options) {
        return SqliteTwinStore.open(dir.resolve("edgecore.db"), options, clock::incrementAndGet);
    }

    @Test
    void registerCreatesKubeEdgeRows() {
        try (SqliteTwinStore store = open(SqliteOptions.KUBEEDGE)) {
            store.register(SMALL);
            store.register(SMALL); // idempotent: registered devices are skipped
            assertThat(store.count("device")).isEqualTo(20);
            assertThat(store.count("device_attr")).isEqualTo(20);
            assertThat(store.count("device_twin")).isEqualTo(60);
            SqliteTwinStore.TwinRow row = store.twin("dev-00003", "temperature").orElseThrow();
            assertThat(row.actual()).isNull();
            assertThat(row.attrType()).isEqualTo("float");
            assertThat(row.metadata()).isEqualTo("{\"type\":\"float\"}");
            assertThat(row.actualEdgeVersion()).isZero();
        }
    }

    @Test
    void updateKeepsLatestValueAndBumpsEdgeVersion() {
        try (SqliteTwinStore store = open(SqliteOptions.KUBEEDGE)) {
            store.register(SMALL);
            store.update("dev-00001", "powerstatus", "ON");
            store.update("dev-00001", "powerstatus", "OFF");
            store.update("dev-00002", "powerstatus", "ON");

            SqliteTwinStore.TwinRow row = store.twin("dev-00001", "powerstatus").orElseThrow();
            assertThat(row.actual()).isEqualTo("OFF");
            assertThat(row.actualEdgeVersion()).isEqualTo(2);
            assertThat(row.actualMeta()).matches("\\{\"timestamp\":\\d+\\}");
            assertThat(row.actualVersion()).isEqualTo("{\"cloud\":0,\"edge\":2}");
            assertThat(store.twin("dev-00002", "powerstatus").orElseThrow().actual()).isEqualTo("ON");
            assertThat(store.count("device_twin")).isEqualTo(60);
        }
    }

    @Test
    void newPropertyOfKnownDeviceIsInserted() {
        try (SqliteTwinStore store = open(SqliteOptions.KUBEEDGE)) {
            store.register(SMALL);
            store.update("dev-00004", "firmware", "1.2.0");
            assertThat(store.twin("dev-00004", "firmware").orElseThrow().actual()).isEqualTo("1.2.0");
            assertThat(store.count("device_twin")).isEqualTo(61);
        }
    }

    @Test
    void unknownDeviceIsRefusedAndChangesNothing() {
        try (SqliteTwinStore store = open(SqliteOptions.KUBEEDGE)) {
            store.register(SMALL);
            assertThatThrownBy(() -> store.update("nope", "powerstatus", "ON"))
                    .isInstanceOf(BaselineException.class)
                    .extracting(e -> ((BaselineException) e).code()).isEqualTo("twin:device.notfound");
            assertThat(store.count("device_twin")).isEqualTo(60);
            assertThat(store.twin("nope", "powerstatus")).isEmpty();
            // the store stays usable after the refusal
            store.update("dev-00000", "mode", "eco");
            assertThat(store.twin("dev-00000", "mode").orElseThrow().actual()).isEqualTo("eco");
        }
    }

    @Test
    void reopenKeepsEveryCommittedUpdate() {
        List<Workload.TwinUpdate> updates = SMALL.updates(300);
        try (SqliteTwinStore store = open(SqliteOptions.KUBEEDGE)) {
            store.register(SMALL);
            for (Workload.TwinUpdate u : updates) store.update(u.device(), u.property(), u.value());
        }
        try (SqliteTwinStore store = open(SqliteOptions.parse("kubeedge+index"))) {
            for (Workload.TwinUpdate u : updates) {
                Workload.TwinUpdate last = updates.stream()
                        .filter(x -> x.device().equals(u.device()) && x.property().equals(u.property()))
                        .reduce((a, b) -> b).orElseThrow();
                long times = updates.stream().filter(x -> x.device().equals(u.device()) && x.property().equals(u.property())).count();
                SqliteTwinStore.TwinRow row = store.twin(u.device(), u.property()).orElseThrow();
                assertThat(row.actual()).isEqualTo(last.value());
                assertThat(row.actualEdgeVersion()).isEqualTo(times);
            }
            assertThat(store.count("device_twin")).isEqualTo(60);
        }
    }

    @Test
    void kubeEdgeProfileIsSqliteDefaults() throws Exception {
        try (SqliteTwinStore store = open(SqliteOptions.KUBEEDGE)) {
            assertThat(store.pragma("journal_mode")).isEqualTo("delete");
            assertThat(store.pragma("synchronous")).isEqualTo("2"); // FULL
        }
        // a connection that sets nothing, like beego over go-sqlite3, sees the same values
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
             Statement st = plain.createStatement()) {
            assertThat(single(st, "PRAGMA journal_mode")).isEqualTo("delete");
            assertThat(single(st, "PRAGMA synchronous")).isEqualTo("2");
        }
    }

    @Test
    void walProfileIsApplied() {
        try (SqliteTwinStore store = open(SqliteOptions.parse("wal-normal+index"))) {
            assertThat(store.pragma("journal_mode")).isEqualTo("wal");
            assertThat(store.pragma("synchronous")).isEqualTo("1"); // NORMAL
        }
    }

    @Test
    void badProfilesAreRefused() {
        assertThatThrownBy(() -> SqliteOptions.parse("fast")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqliteOptions.parse("wal-often")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqliteOptions.parse("delete;drop-full")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SqliteOptions.parse("kubeedge")).isEqualTo(SqliteOptions.KUBEEDGE);
        assertThat(SqliteOptions.parse("kubeedge+index").twinIndex()).isTrue();
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

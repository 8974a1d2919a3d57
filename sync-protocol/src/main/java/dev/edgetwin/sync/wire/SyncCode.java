package dev.edgetwin.sync.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stable error codes of the sync protocol and the WebSocket close status of each
 * (PROTOCOL.md §8). A code never changes meaning; the close frame's reason is the code.
 */
public enum SyncCode {
    FRAME_INVALID("sync:frame.invalid", 4000),
    FRAME_UNEXPECTED("sync:frame.unexpected", 4001),
    VERSION("sync:version", 4002),
    AUTH("sync:auth", 4003),
    STREAM("sync:stream", 4004),
    GAP("sync:gap", 4005),
    OFFSET("sync:offset", 4006),
    CRC("sync:crc", 4007),
    CHAIN("sync:chain", 4008),
    BATCH_TOO_LARGE("sync:batch.toolarge", 4009),
    CREDIT("sync:credit", 4010),
    ACK_INVALID("sync:ack.invalid", 4011),
    DIVERGED("sync:diverged", 4012),
    IDLE("sync:idle", 4013),
    HANDSHAKE_TIMEOUT("sync:handshake.timeout", 4014),
    REPLACED("sync:replaced", 4015),
    SNAPSHOT_INVALID("sync:snapshot.invalid", 4016),
    /** Only as an HTTP 400 before the upgrade. */
    NODE_INVALID("sync:node.invalid", 4017),
    SHUTDOWN("sync:shutdown", 1001),
    INTERNAL("sync:internal", 1011),
    OVERLOADED("sync:overloaded", 1013);

    private static final Map<String, SyncCode> BY_CODE = new HashMap<>();
    private static final Map<Integer, SyncCode> BY_STATUS = new HashMap<>();

    static {
        for (SyncCode c : values()) {
            BY_CODE.put(c.code, c);
            BY_STATUS.put(c.closeStatus, c);
        }
    }

    private final String code;
    private final int closeStatus;

    SyncCode(String code, int closeStatus) {
        this.code = code;
        this.closeStatus = closeStatus;
    }

    /** The wire form, e.g. {@code sync:gap}. */
    public String code() {
        return code;
    }

    /** The WebSocket close status that carries this code. */
    public int closeStatus() {
        return closeStatus;
    }

    public static Optional<SyncCode> of(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    public static Optional<SyncCode> ofCloseStatus(int status) {
        return Optional.ofNullable(BY_STATUS.get(status));
    }

    @Override
    public String toString() {
        return code;
    }
}

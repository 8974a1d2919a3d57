package dev.edgetwin.sync.wire;

/** A protocol violation or refusal with its {@link SyncCode}: the connection is closed with it. */
public class SyncException extends RuntimeException {
    private final SyncCode code;

    public SyncException(SyncCode code, String message) {
        super(code.code() + ": " + message);
        this.code = code;
    }

    public SyncException(SyncCode code, String message, Throwable cause) {
        super(code.code() + ": " + message, cause);
        this.code = code;
    }

    public SyncCode code() {
        return code;
    }

    /** The message without the code prefix. */
    public String detail() {
        String m = getMessage();
        String prefix = code.code() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}

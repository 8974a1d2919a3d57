package dev.edgetwin.log;

/** A journal refusal or failure with a stable code ({@code journal:gap}, {@code journal:crc}, …). */
public class JournalException extends RuntimeException {
    private final String code;

    public JournalException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public JournalException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

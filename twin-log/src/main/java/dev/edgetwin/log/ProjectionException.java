package dev.edgetwin.log;

/** The projection store failed (code {@code projection:io}) or was asked something impossible. */
public class ProjectionException extends RuntimeException {
    private final String code;

    public ProjectionException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package dev.edgetwin.bench.baseline;

/** A refusal or failure of the baseline store, with a stable code ({@code twin:device.notfound}, {@code sqlite:io}). */
public class BaselineException extends RuntimeException {
    private final String code;

    public BaselineException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

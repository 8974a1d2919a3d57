package dev.edgetwin.gpio;

/**
 * A GPIO or mapper failure with a stable code ({@code gpio:chip.missing}, {@code gpio:line.busy},
 * {@code config:invalid}, …) that logs, HTTP problem documents and tests match on; the message
 * says what to do about it.
 */
public class GpioException extends RuntimeException {
    private final String code;

    public GpioException(String code, String message) {
        super(message);
        this.code = code;
    }

    public GpioException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }
}

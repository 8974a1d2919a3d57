package dev.edgetwin.log.cli;

/**
 * A failure twinctl reports as one line {@code twinctl: <code>: <message>} on stderr and an
 * {@link ExitCode}. The code is stable text for scripts ({@code twinctl:node.running}, …).
 */
final class TwinctlException extends RuntimeException {
    private final String code;
    private final int exitCode;

    TwinctlException(String code, int exitCode, String message) {
        super(message);
        this.code = code;
        this.exitCode = exitCode;
    }

    TwinctlException(String code, int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.exitCode = exitCode;
    }

    String code() {
        return code;
    }

    int exitCode() {
        return exitCode;
    }
}

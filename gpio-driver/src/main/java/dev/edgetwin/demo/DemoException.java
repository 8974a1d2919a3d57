package dev.edgetwin.demo;

/** Something the demo cannot do, told to the user as it is; {@code status} is its HTTP status on the control API. */
final class DemoException extends Exception {
    final int status;

    DemoException(int status, String message) {
        super(message);
        this.status = status;
    }

    DemoException(String message) {
        this(500, message);
    }
}

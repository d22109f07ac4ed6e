package dev.parity.logs;

/** The log stream failed for good: one line for the user. */
public final class LogStreamException extends RuntimeException {
    public LogStreamException(String message) {
        super(message);
    }
}

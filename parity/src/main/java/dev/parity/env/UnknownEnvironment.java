package dev.parity.env;

/** The environment name could not be mapped to an app; the message says how to fix it. */
public class UnknownEnvironment extends RuntimeException {
    public UnknownEnvironment(String message) {
        super(message);
    }
}

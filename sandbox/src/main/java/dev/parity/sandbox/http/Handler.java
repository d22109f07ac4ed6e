package dev.parity.sandbox.http;

/** A route's code. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}

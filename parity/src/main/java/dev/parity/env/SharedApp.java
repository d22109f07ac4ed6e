package dev.parity.env;

/**
 * Production and staging name the same app: no guard could tell which one a command means, so
 * nothing runs until one of them points elsewhere. The message names both sources.
 */
public final class SharedApp extends UnknownEnvironment {
    public SharedApp(String message) {
        super(message);
    }
}

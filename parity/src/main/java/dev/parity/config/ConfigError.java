package dev.parity.config;

/** Bad input in a configuration file: the message names the file and the key. */
public class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }
}

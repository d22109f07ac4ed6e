package dev.parity.sandbox.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Splits a dyno's output bytes into log lines (UTF-8, without the line end). */
final class LogLines {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogLines(Consumer<String> sink) {
        this.sink = sink;
    }

    void accept(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') emit();
            else line.write(buf[i]);
        }
    }

    /** The last line, when the output did not end with a newline. */
    void flush() {
        if (line.size() > 0) emit();
    }

    private void emit() {
        sink.accept(line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", ""));
        line.reset();
    }
}

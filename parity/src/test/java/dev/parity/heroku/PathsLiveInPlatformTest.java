package dev.parity.heroku;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Platform API's paths are written in one place: verbs and steps speak through {@link Platform}. */
class PathsLiveInPlatformTest {

    @Test
    void noSourceOutsidePlatformBuildsAnAppsPath() throws IOException {
        Path sources = Path.of("src/main/java/dev/parity");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.endsWith(Path.of("heroku/Platform.java")))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("\"/apps/");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> sources.relativize(f).toString()).sorted().toList();
        }
        assertEquals(List.of(), offenders, "these build /apps/ paths themselves; add a typed call to Platform instead");
    }
}

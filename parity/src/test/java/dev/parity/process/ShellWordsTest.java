package dev.parity.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"ls", "abc123", "a-b_c.d/e", "/usr/bin/env", "--flag=x", "user@host", "KEY=value", "50%",
            "a+b", "host:5432", "a,b", "-n", "myapp-production"})
    void safeWordsAreNotQuoted(String word) {
        assertEquals(word, ShellWords.quote(word));
    }

    /** word -> quoted form (the CSV quote character is ", so ' stays literal) */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(quoteCharacter = '"', delimiterString = " -> ", value = {
        "a b -> 'a b'",
        "it's -> 'it'\\''s'",
        "'' -> ''\\'''\\'''",
        "a;rm -rf / -> 'a;rm -rf /'",
        "$(id) -> '$(id)'",
        "$HOME -> '$HOME'",
        "`id` -> '`id`'",
        "* -> '*'",
        "? -> '?'",
        "~ -> '~'",
        "#x -> '#x'",
        "a|b -> 'a|b'",
        "a&b -> 'a&b'",
        "a>b -> 'a>b'",
        "a\\b -> 'a\\b'",
        "é -> 'é'",
        "😀 -> '😀'",
    })
    void unsafeWordsAreSingleQuoted(String word, String quoted) {
        assertEquals(quoted, ShellWords.quote(word));
    }

    @Test
    void doubleQuoteIsSingleQuoted() {
        assertEquals("'a\"b'", ShellWords.quote("a\"b"));
    }

    @Test
    void emptyWordIsTwoQuotes() {
        assertEquals("''", ShellWords.quote(""));
    }

    @Test
    void newlineAndTabAreQuoted() {
        assertEquals("'a\nb'", ShellWords.quote("a\nb"));
        assertEquals("'a\tb'", ShellWords.quote("a\tb"));
    }

    @Test
    void joinSeparatesQuotedWordsWithSpaces() {
        assertEquals("bundle exec rails console --sandbox 'a b' 'it'\\''s' ''",
                ShellWords.join(List.of("bundle", "exec", "rails", "console", "--sandbox", "a b", "it's", "")));
    }

    @Test
    void joinOfNothingIsEmpty() {
        assertEquals("", ShellWords.join(List.of()));
    }

    @Test
    void nastyWordsSurviveARealShell() throws Exception {
        List<String> words = List.of("a b", "it's", "\"", "$(id)", "`id`", "$HOME", ";", "&&", "|", "*", "~", "#", "!",
                "a\nb", "\t", "", "\\", "\\n", "é", "😀", "-n", "--", "%s", "a=b", "'\"'\"'");
        assertEquals(words, throughShell(words));
    }

    private static final String[] NASTY = {
        "'", "\"", "$", ";", "|", "&", "\\", "\n", "\t", " ", "é", "😀", "`", "*", "?", "~", "#", "!", "(", ")", "{",
        "}", "[", "]", "<", ">", "%", "=", "-", "a", "Z", "0", "_", ".", "/", "\r", "ü", "€", "$(", "${", "\\'",
    };

    /** Random word lists from a hostile alphabet come back from /bin/sh exactly as they went in. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 42L, 1234L, 20240607L, -7L, 987654321L})
    void randomWordsRoundTripThroughAPosixShell(long seed) throws Exception {
        Random random = new Random(seed);
        for (int round = 0; round < 10; round++) {
            List<String> words = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int w = 0; w < count; w++) {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(13);
                for (int i = 0; i < length; i++) sb.append(NASTY[random.nextInt(NASTY.length)]);
                words.add(sb.toString());
            }
            assertEquals(words, throughShell(words), "seed " + seed + " round " + round + ": " + ShellWords.join(words));
        }
    }

    /**
     * Runs {@code printf '%s\0' WORDS} in {@code sh} and splits its output at NUL bytes. The script
     * goes in as an argv word when the JVM encodes argv as UTF-8, else in a UTF-8 file, so the
     * test never depends on the machine's locale.
     */
    private List<String> throughShell(List<String> words) throws IOException, InterruptedException {
        assertTrue(!words.isEmpty(), "printf with no arguments still prints once");
        String script = "printf '%s\\0' " + ShellWords.join(words);
        ProcessBuilder pb;
        if (argvIsUtf8()) {
            pb = new ProcessBuilder("sh", "-c", script);
        } else {
            Path file = Files.createTempFile(tmp, "words", ".sh");
            Files.writeString(file, script, StandardCharsets.UTF_8);
            pb = new ProcessBuilder("sh", file.toString());
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sh did not finish");
        assertEquals(0, p.exitValue(), "sh exit code for: " + script);
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\0"), "output ends with NUL: " + text);
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    private static boolean argvIsUtf8() {
        String enc = System.getProperty("sun.jnu.encoding");
        return enc != null && Charset.isSupported(enc) && Charset.forName(enc).equals(StandardCharsets.UTF_8);
    }
}

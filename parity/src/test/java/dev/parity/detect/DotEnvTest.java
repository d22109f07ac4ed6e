package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvTest {

    @Test
    void parsesTheCommonForms() {
        Map<String, String> values = DotEnv.parse("""
                # comment
                PLAIN=value
                export EXPORTED=yes
                SPACED = around
                DOUBLE="a \\"quoted\\" value" # trailing
                SINGLE='no $expansion # here'
                COMMENTED=bare # trailing comment
                HASH=pa#ss
                EMPTY=
                not a pair
                """);
        assertEquals("value", values.get("PLAIN"));
        assertEquals("yes", values.get("EXPORTED"));
        assertEquals("around", values.get("SPACED"));
        assertEquals("a \"quoted\" value", values.get("DOUBLE"));
        assertEquals("no $expansion # here", values.get("SINGLE"));
        assertEquals("bare", values.get("COMMENTED"));
        assertEquals("pa#ss", values.get("HASH"));
        assertEquals("", values.get("EMPTY"));
        assertFalse(values.containsKey("not a pair"));
    }

    @Test
    void valueToStringHidesTheValue() {
        assertFalse(new DotEnv.Value("postgres://u:secret@h/d", ".env DATABASE_URL").toString().contains("secret"));
    }
}

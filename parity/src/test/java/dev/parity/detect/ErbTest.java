package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErbTest {

    private static final Map<String, String> ENV = Map.of("DB_NAME", "from_env", "EMPTY", "", "PORT", "6543 ");

    static Stream<Arguments> evaluable() {
        return Stream.of(
                arguments("<%= ENV.fetch(\"DB_NAME\") { \"d\" } %>", "from_env"),
                arguments("<%= ENV.fetch(\"MISSING\") { \"d\" } %>", "d"),
                arguments("<%= ENV.fetch('MISSING', 'd') %>", "d"),
                arguments("<%= ENV.fetch('DB_NAME', 'd') %>", "from_env"),
                arguments("<%= ENV.fetch(\"MISSING\") { 5 } %>", "5"),
                arguments("<%= ENV.fetch(\"MISSING\", nil) %>", ""),
                arguments("<%= ENV['MISSING'] || 'd' %>", "d"),
                arguments("<%= ENV[\"DB_NAME\"] || 'd' %>", "from_env"),
                arguments("<%= ENV['EMPTY'] || 'd' %>", ""), // "" is truthy in Ruby
                arguments("<%= ENV['EMPTY'].presence || 'd' %>", "d"),
                arguments("<%= ENV[\"DB_NAME\"] %>", "from_env"),
                arguments("<%= ENV[\"MISSING\"] %>", ""), // nil prints as ""
                arguments("<%= ENV['A'] || ENV['B'] || 'third' %>", "third"),
                arguments("<%= (ENV['PORT'] || 5432).to_i %>", "6543"),
                arguments("<%= ENV.fetch('MISSING') { 5 }.to_i %>", "5"),
                arguments("<%= ENV['MISSING'].to_s %>", ""),
                arguments("<%= 'a\\'b' %>", "a'b"),
                arguments("<%= \"x\\ty\" %>", "x\ty"),
                arguments("app_<%= ENV.fetch('DB_NAME') -%>_dev", "app_from_env_dev"),
                arguments("<%== ENV['DB_NAME'] %>", "from_env"),
                arguments("<%%= literal %>", "<%= literal %>"),
                arguments("a<% if true %>b<% end %>c", "abc"),
                arguments("a<%# a comment %>c", "ac"),
                arguments("a<%- x -%>c", "ac"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evaluable")
    void evaluates(String template, String expected) {
        Erb.Rendered r = Erb.render(template, ENV);
        assertEquals(expected, r.text());
        assertTrue(r.unevaluated().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ENV.fetch(\"MISSING\")",
        "Rails.application.credentials.dig(:db, :name)",
        "\"app_#{Rails.env}\"",
        "ENV.fetch('X') { |k| 'd' }",
        "ENV['UNTERMINATED",
        "`whoami`",
        "ENV.key?('X')",
        "'it' 's'",
    })
    void leavesAPlaceholderForWhatItCannotEvaluate(String expression) {
        Erb.Rendered r = Erb.render("database: <%= " + expression + " %>_dev", Map.of());
        assertEquals(1, r.unevaluated().size());
        assertEquals("<%= " + expression + " %>", r.unevaluatedIn(r.text()).orElseThrow());
    }

    @Test
    void codeTagsKeepTheirLineBreaksSoYamlLinesMatchTheFile() {
        String rendered = Erb.render("a: 1\n<% if x\n  y\nend %>\nb: 2\n", Map.of()).text();
        assertEquals("a: 1\n\n\n\nb: 2\n", rendered);
    }

    @Test
    void textWithoutTagsIsUnchanged() {
        assertEquals("development:\n  database: x\n", Erb.render("development:\n  database: x\n", Map.of()).text());
    }
}

package dev.parity.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough ERB for {@code config/database.yml}: the {@code ENV} lookups Rails apps write there,
 * evaluated against a given environment map instead of running Ruby.
 *
 * <p>Understood inside {@code <%= %>}: string and number literals, {@code nil}, {@code ENV["X"]},
 * {@code ENV.fetch("X")}, {@code ENV.fetch("X", default)}, {@code ENV.fetch("X") { default }},
 * {@code a || b}, parentheses, and {@code .to_s}, {@code .to_i}, {@code .presence}, {@code .strip}.
 * Anything else becomes a placeholder, so the caller can tell which expression it could not evaluate
 * (and refuse to guess a database name). {@code <% %>} and {@code <%# %>} tags produce nothing.
 */
final class Erb {

    private static final Pattern PLACEHOLDER = Pattern.compile("__PARITY_ERB_(\\d+)__");

    private Erb() {}

    /** The rendered text; {@code unevaluated.get(i)} is the expression behind placeholder {@code i}. */
    record Rendered(String text, List<String> unevaluated) {

        /** The first expression ({@code <%= ... %>}) that could not be evaluated and ended up in {@code value}. */
        Optional<String> unevaluatedIn(String value) {
            Matcher m = PLACEHOLDER.matcher(value);
            if (!m.find()) return Optional.empty();
            return Optional.of("<%= " + unevaluated.get(Integer.parseInt(m.group(1))) + " %>");
        }

        @Override
        public String toString() { // the text may hold passwords from the environment
            return "Rendered[" + text.length() + " chars, unevaluated=" + unevaluated + "]";
        }
    }

    static Rendered render(String template, Map<String, String> env) {
        StringBuilder out = new StringBuilder(template.length());
        List<String> unevaluated = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("<%", i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            if (template.startsWith("<%%", open)) { // ERB's escape for a literal "<%"
                out.append("<%");
                i = open + 3;
                continue;
            }
            int close = template.indexOf("%>", open + 2);
            if (close < 0) { // unclosed tag: leave it; YAML parsing reports the line
                out.append(template, open, template.length());
                break;
            }
            String body = template.substring(open + 2, close);
            i = close + 2;
            if (body.startsWith("=")) {
                String expression = trimTag(body.substring(1));
                try {
                    String value = new Parser(expression, env).parse();
                    out.append(value == null ? "" : value); // Ruby prints nil as ""
                } catch (Unevaluable e) {
                    out.append("__PARITY_ERB_").append(unevaluated.size()).append("__");
                    unevaluated.add(expression);
                }
            } else {
                // Code and comment tags print nothing; keep their line breaks so YAML errors point at
                // the right line of the file the user edits.
                body.chars().filter(c -> c == '\n').forEach(c -> out.append('\n'));
            }
        }
        return new Rendered(out.toString(), List.copyOf(unevaluated));
    }

    /** "<%= x -%>" and "<%-= x %>" trim markers are layout only. */
    private static String trimTag(String body) {
        String s = body.strip();
        if (s.endsWith("-")) s = s.substring(0, s.length() - 1).strip();
        if (s.startsWith("=")) s = s.substring(1).strip(); // "<%==" (raw output) prints the same here
        return s;
    }

    private static final class Unevaluable extends RuntimeException {
        Unevaluable() {
            super(null, null, false, false);
        }
    }

    /**
     * Recursive descent over the small Ruby subset above. Values are Ruby strings, numbers kept as
     * their literal text (they print the same), or {@code null} for nil.
     */
    private static final class Parser {
        private final String s;
        private final Map<String, String> env;
        private int pos;

        Parser(String s, Map<String, String> env) {
            this.s = s;
            this.env = env;
        }

        String parse() {
            String value = or();
            skipSpaces();
            if (pos != s.length()) throw new Unevaluable();
            return value;
        }

        // a || b: Ruby's first truthy value (only nil is falsy here; "" is truthy, as in Ruby).
        private String or() {
            String value = postfix();
            while (accept("||")) {
                String right = postfix();
                if (value == null) value = right;
            }
            return value;
        }

        private String postfix() {
            String value = primary();
            while (true) {
                skipSpaces();
                if (!s.startsWith(".", pos)) return value;
                pos++;
                String method = identifier();
                value = switch (method) {
                    case "to_s" -> value == null ? "" : value;
                    case "to_i" -> toI(value);
                    case "presence" -> value == null || value.isBlank() ? null : value;
                    case "strip" -> value == null ? null : value.strip();
                    default -> throw new Unevaluable();
                };
            }
        }

        private String primary() {
            skipSpaces();
            if (pos >= s.length()) throw new Unevaluable();
            char c = s.charAt(pos);
            if (c == '"' || c == '\'') return string();
            if (Character.isDigit(c) || (c == '-' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1)))) {
                return number();
            }
            if (accept("(")) {
                String value = or();
                expect(")");
                return value;
            }
            String word = identifier();
            if (word.equals("nil")) return null;
            if (!word.equals("ENV")) throw new Unevaluable();
            if (accept("[")) {
                String name = stringArgument();
                expect("]");
                return env.get(name);
            }
            expect(".");
            if (!identifier().equals("fetch")) throw new Unevaluable();
            expect("(");
            String name = stringArgument();
            boolean hasDefault = accept(",");
            String fallback = hasDefault ? or() : null;
            expect(")");
            boolean hasBlock = accept("{");
            if (hasBlock) {
                fallback = or();
                expect("}");
            }
            if (env.containsKey(name)) return env.get(name);
            if (hasDefault || hasBlock) return fallback;
            throw new Unevaluable(); // Ruby raises KeyError: there is no value to guess
        }

        private String stringArgument() {
            skipSpaces();
            if (pos >= s.length() || (s.charAt(pos) != '"' && s.charAt(pos) != '\'')) throw new Unevaluable();
            String value = string();
            if (value == null) throw new Unevaluable();
            return value;
        }

        private String string() {
            char quote = s.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) return out.toString();
                if (quote == '"' && c == '#' && pos < s.length() && s.charAt(pos) == '{') {
                    throw new Unevaluable(); // interpolation: arbitrary Ruby
                }
                if (c == '\\' && pos < s.length()) {
                    char next = s.charAt(pos++);
                    if (quote == '\'') {
                        if (next != '\'' && next != '\\') out.append('\\');
                        out.append(next);
                    } else {
                        out.append(switch (next) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> next;
                        });
                    }
                } else {
                    out.append(c);
                }
            }
            throw new Unevaluable(); // unterminated
        }

        private String number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                    || (s.charAt(pos) == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))))) {
                pos++;
            }
            return s.substring(start, pos).replace("_", "");
        }

        private String identifier() {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
            if (start == pos) throw new Unevaluable();
            return s.substring(start, pos);
        }

        private static String toI(String value) {
            if (value == null) return "0";
            Matcher m = Pattern.compile("^\\s*([-+]?\\d+)").matcher(value);
            return m.find() ? new java.math.BigInteger(m.group(1)).toString() : "0";
        }

        private boolean accept(String token) {
            skipSpaces();
            if (!s.startsWith(token, pos)) return false;
            pos += token.length();
            return true;
        }

        private void expect(String token) {
            if (!accept(token)) throw new Unevaluable();
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }
    }
}

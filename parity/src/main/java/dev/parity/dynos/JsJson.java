package dev.parity.dynos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** {@code JSON.stringify(value, null, 2)}, as the official CLI prints {@code --json}, plus its newline. */
public final class JsJson {
    private JsJson() {}

    public static String stringify(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb, "");
        return sb.append('\n').toString();
    }

    private static void write(JsonNode n, StringBuilder sb, String indent) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            if (n.isEmpty()) {
                sb.append("{}");
                return;
            }
            String inner = indent + "  ";
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(inner);
                string(e.getKey(), sb);
                sb.append(": ");
                write(e.getValue(), sb, inner);
                if (it.hasNext()) sb.append(',');
                sb.append('\n');
            }
            sb.append(indent).append('}');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            String inner = indent + "  ";
            sb.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                sb.append(inner);
                write(n.get(i), sb, inner);
                if (i + 1 < n.size()) sb.append(',');
                sb.append('\n');
            }
            sb.append(indent).append(']');
        } else if (n.isTextual()) {
            string(n.asText(), sb);
        } else {
            sb.append(n.toString());
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}

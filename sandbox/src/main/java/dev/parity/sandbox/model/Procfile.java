package dev.parity.sandbox.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Procfile: {@code type: command} lines, as Heroku reads them. */
public final class Procfile {
    private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(.+)$");

    private Procfile() {}

    public static Map<String, String> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) types.put(m.group(1), m.group(2).strip());
        }
        return types;
    }
}

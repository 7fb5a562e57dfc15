package dev.vigil.collector.notify;

import dev.vigil.collector.rules.LabelMatcher;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alertmanager's matcher syntax: {@code name="value"}, {@code name!=value}, {@code name=~"re"},
 * {@code name!~"re"}. An unquoted value may not start with {@code =} or {@code ~}: {@code a==b} is a
 * typo, not the value {@code =b}.
 */
final class MatcherParser {
    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|(?:[^\"=~][^\"]*?)?)\\s*");

    private MatcherParser() {}

    static LabelMatcher parse(String text) {
        Matcher m = MATCHER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a matcher; write it like severity=\"page\","
                    + " service!=\"test\", service=~\"shop|cart\" or team!~\"x.*\"");
        }
        String value = m.group(3);
        if (value.startsWith("\"")) {
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        String op = m.group(2);
        return LabelMatcher.create(m.group(1), value, op.endsWith("~"), !op.startsWith("!"));
    }
}

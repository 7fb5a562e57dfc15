package dev.vigil.agent.db;

import java.util.Locale;

/**
 * Makes SQL text safe and low-cardinality for spans: string and numeric literals become {@code ?},
 * comments are dropped, whitespace is collapsed, and {@code IN (?, ?, ...)} lists become
 * {@code IN (?)}. Quoted identifiers ({@code "name"}, {@code `name`}, {@code [name]}) are kept.
 * It scans once, never throws and never fails: text it cannot understand (an unterminated quote)
 * is masked to its end rather than leaked.
 */
public final class SqlSanitizer {
    /** The sanitised statement with its operation and, when simple to tell, its main table. */
    public static final class Sanitized {
        public final String text;
        /** First keyword, upper case ({@code SELECT}, {@code INSERT}...), or null. */
        public final String operation;
        /** The table after FROM/INTO/UPDATE when the statement names exactly one plainly, or null. */
        public final String table;

        Sanitized(String text, String operation, String table) {
            this.text = text;
            this.operation = operation;
            this.table = table;
        }
    }

    private SqlSanitizer() {}

    public static Sanitized sanitize(String sql) {
        String text = mask(sql);
        String operation = firstWord(text, 0);
        return new Sanitized(text, operation, table(text, operation));
    }

    static String mask(String sql) {
        int n = sql.length();
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                i = skipQuoted(sql, i, '\'');
                placeholder(out);
            } else if ((c == 'e' || c == 'E' || c == 'n' || c == 'N' || c == 'x' || c == 'X' || c == 'b' || c == 'B')
                    && i + 1 < n
                    && sql.charAt(i + 1) == '\''
                    && !identifierPart(previous(out))) {
                // E'..', N'..', X'..', B'..' literals: the prefix belongs to the literal
                i = skipQuoted(sql, i + 1, '\'');
                placeholder(out);
            } else if (c == '$' && dollarTag(sql, i) > 0 && !identifierPart(previous(out))) {
                int tagEnd = dollarTag(sql, i);
                String tag = sql.substring(i, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                i = close < 0 ? n : close + tag.length();
                placeholder(out);
            } else if (c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
                space(out);
            } else if (c == '#' && !identifierPart(previous(out))) {
                // MySQL line comment
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
                space(out);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                space(out);
            } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
                if (identifierPart(previous(out))) {
                    out.append(c); // part of a name such as t1 or col_2
                    i++;
                } else {
                    i = skipNumber(sql, i);
                    placeholder(out);
                }
            } else if (Character.isWhitespace(c)) {
                space(out);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return collapseInLists(trimEnd(out));
    }

    /** Index after the closing quote; a doubled quote or a backslash escapes one. Unterminated: the end. */
    private static int skipQuoted(String s, int open, char quote) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && quote == '\'' && i + 1 < s.length()) {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** End index of a PostgreSQL dollar-quote tag ($$ or $tag$) starting at i, or -1. */
    private static int dollarTag(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '$' && (j == i + 1 || !isDigit(s.charAt(i + 1)))) {
            return j + 1;
        }
        return -1; // $1 positional parameters are not literals
    }

    private static int skipNumber(String s, int i) {
        int n = s.length();
        if (s.charAt(i) == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            i += 2;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                i++;
            }
            return i;
        }
        while (i < n && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                i = j;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static char previous(StringBuilder out) {
        return out.length() == 0 ? ' ' : out.charAt(out.length() - 1);
    }

    private static void placeholder(StringBuilder out) {
        out.append('?');
    }

    private static void space(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    private static String trimEnd(StringBuilder out) {
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        return out.substring(0, end);
    }

    /** {@code IN (?, ?, ?)} → {@code IN (?)}, so the number of values does not make new statements. */
    static String collapseInLists(String s) {
        int from = 0;
        StringBuilder out = null;
        int copied = 0;
        while (true) {
            int open = s.indexOf("(?", from);
            if (open < 0) {
                break;
            }
            int i = open + 2;
            boolean list = false;
            while (true) {
                int j = i;
                while (j < s.length() && s.charAt(j) == ' ') {
                    j++;
                }
                if (j < s.length() && s.charAt(j) == ',') {
                    j++;
                    while (j < s.length() && s.charAt(j) == ' ') {
                        j++;
                    }
                    if (j < s.length() && s.charAt(j) == '?') {
                        i = j + 1;
                        list = true;
                        continue;
                    }
                }
                break;
            }
            int close = i;
            while (close < s.length() && s.charAt(close) == ' ') {
                close++;
            }
            if (list && close < s.length() && s.charAt(close) == ')' && precededByIn(s, open)) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, open).append("(?)");
                copied = close + 1;
            }
            from = open + 2;
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, s.length()).toString();
    }

    private static boolean precededByIn(String s, int open) {
        int i = open - 1;
        while (i >= 0 && s.charAt(i) == ' ') {
            i--;
        }
        return i >= 1
                && (s.charAt(i) == 'n' || s.charAt(i) == 'N')
                && (s.charAt(i - 1) == 'i' || s.charAt(i - 1) == 'I')
                && (i < 2 || !identifierPart(s.charAt(i - 2)));
    }

    private static String firstWord(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '(')) {
            i++;
        }
        int start = i;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
            i++;
        }
        return i == start ? null : s.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /** The table of a simple statement: SELECT ... FROM t, INSERT INTO t, UPDATE t, DELETE FROM t. */
    private static String table(String text, String operation) {
        if (operation == null) {
            return null;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        int at;
        switch (operation) {
            case "SELECT":
            case "DELETE":
                at = keyword(upper, " FROM ");
                if (at >= 0 && upper.indexOf(" FROM ", at + 1) >= 0) {
                    return null; // several FROMs (subqueries): no single table
                }
                break;
            case "INSERT":
                at = keyword(upper, " INTO ");
                break;
            case "UPDATE":
                at = operation.length();
                break;
            default:
                return null;
        }
        if (at < 0) {
            return null;
        }
        int start = at + (operation.equals("UPDATE") ? 0 : 5);
        while (start < text.length() && text.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < text.length()
                && (identifierPart(text.charAt(end))
                        || text.charAt(end) == '.'
                        || text.charAt(end) == '"'
                        || text.charAt(end) == '`')) {
            end++;
        }
        if (end == start || (end < text.length() && text.charAt(end) == ',')) {
            return null; // nothing, or a join list
        }
        return text.substring(start, end);
    }

    private static int keyword(String upper, String word) {
        return upper.indexOf(word);
    }
}

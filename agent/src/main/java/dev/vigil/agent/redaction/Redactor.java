package dev.vigil.agent.redaction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Masks what must not leave the process: e-mail addresses and payment card numbers (built in),
 * the user's own patterns, and the values of sensitive headers written into a message
 * ({@code Authorization: Bearer ...}), in log messages, exception messages and stack traces; and
 * tells which HTTP headers must never be recorded ({@code Authorization}, {@code Cookie},
 * {@code Set-Cookie} and configured ones). Thread-safe.
 */
public final class Redactor {
    public static final String MASK = "<redacted>";

    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}");
    /** 13 to 19 digits, optionally grouped by spaces or dashes; masked only when the Luhn check passes. */
    private static final Pattern CARD = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");

    private static final Set<String> ALWAYS_SENSITIVE_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token");
    private static final Redactor NONE = new Redactor(false, Collections.emptyList(), Collections.emptySet());

    private final boolean builtIn;
    private final List<Pattern> patterns;
    private final Set<String> sensitiveHeaders;
    /** {@code Authorization: ...}, {@code cookie=...} as they appear in messages: the value up to the line's end. */
    private final Pattern headerInText;

    private Redactor(boolean builtIn, List<Pattern> patterns, Set<String> extraHeaders) {
        this.builtIn = builtIn;
        this.patterns = patterns;
        Set<String> headers = new TreeSet<>(ALWAYS_SENSITIVE_HEADERS);
        for (String h : extraHeaders) {
            headers.add(h.trim().toLowerCase(Locale.ROOT));
        }
        this.sensitiveHeaders = Collections.unmodifiableSet(headers);
        StringBuilder names = new StringBuilder();
        for (String h : headers) {
            if (!h.isEmpty()) {
                names.append(names.length() == 0 ? "" : "|").append(Pattern.quote(h));
            }
        }
        this.headerInText = Pattern.compile("(?i)(?<![\\w-])(" + names + ")(\"?\\s*[:=]\\s*)[^\\r\\n]+");
    }

    /**
     * @param builtIn whether e-mail addresses and card numbers are masked
     * @param patterns the user's regular expressions; every match is masked
     * @param headers header names never recorded, besides Authorization, Cookie and Set-Cookie
     * @throws IllegalArgumentException naming the pattern that does not compile
     */
    public static Redactor create(boolean builtIn, List<String> patterns, List<String> headers) {
        List<Pattern> compiled = new ArrayList<>();
        if (patterns != null) {
            for (String p : patterns) {
                if (p == null || p.trim().isEmpty()) {
                    continue;
                }
                try {
                    compiled.add(Pattern.compile(p));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            "redaction pattern '" + p + "' is not a valid regular expression: " + e.getDescription());
                }
            }
        }
        return new Redactor(
                builtIn,
                Collections.unmodifiableList(compiled),
                headers == null ? Collections.emptySet() : new TreeSet<>(headers));
    }

    /** Masks nothing (but still refuses the always-sensitive headers). */
    public static Redactor none() {
        return NONE;
    }

    /** The text with every sensitive value replaced by {@value #MASK}; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        // cheap pre-checks first: stack traces are long and almost never hold anything to mask
        if (mentionsSensitiveHeader(out)) {
            out = headerInText.matcher(out).replaceAll("$1$2" + MASK);
        }
        if (builtIn) {
            if (out.indexOf('@') >= 0) {
                out = EMAIL.matcher(out).replaceAll(MASK);
            }
            if (hasCardLikeRun(out)) {
                out = maskCards(out);
            }
        }
        for (Pattern p : patterns) {
            out = p.matcher(out).replaceAll(MASK);
        }
        return out;
    }

    /** Whether a header's value must never be recorded. */
    public boolean isSensitiveHeader(String name) {
        return name != null && sensitiveHeaders.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether a sensitive header's name stands before some ':' or '=' (looked up without copying the text). */
    private boolean mentionsSensitiveHeader(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ':' && c != '=') {
                continue;
            }
            int end = i;
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (end > 0 && text.charAt(end - 1) == '"') {
                end--;
            }
            for (String h : sensitiveHeaders) {
                int start = end - h.length();
                if (start >= 0 && text.regionMatches(true, start, h, 0, h.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String maskCards(String text) {
        Matcher m = CARD.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (luhn(m.group())) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, last, m.start()).append(MASK);
                last = m.end();
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }

    /** Cheap pre-check: 13 or more digits in a row, single spaces or dashes allowed between them. */
    static boolean hasCardLikeRun(String text) {
        int digits = 0;
        boolean separator = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits >= 13) {
                    return true;
                }
                separator = false;
            } else if ((c == ' ' || c == '-') && digits > 0 && !separator) {
                separator = true;
            } else {
                digits = 0;
                separator = false;
            }
        }
        return false;
    }

    static boolean luhn(String candidate) {
        int sum = 0;
        boolean doubled = false;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}

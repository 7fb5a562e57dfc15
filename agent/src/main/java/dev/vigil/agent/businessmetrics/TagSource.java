package dev.vigil.agent.businessmetrics;

/**
 * Where a tag's value comes from: {@code outcome} ({@code success} or {@code error}),
 * {@code error.category}, {@code error.type} (the exception's simple class name), or a
 * {@link PropertyPath} under an argument or the return value, or a constant written in quotes
 * ({@code "'web'"}).
 */
final class TagSource {
    enum Kind {
        OUTCOME,
        /** {@code success} or {@code failure}, as Micrometer's {@code @Counted} writes it. */
        RESULT,
        ERROR_CATEGORY,
        ERROR_TYPE,
        CONSTANT,
        PATH
    }

    /** Tag value of the error tags on a call that succeeded. */
    static final String NONE = "none";

    private final Kind kind;
    private final PropertyPath path;
    private final String text;

    private TagSource(Kind kind, PropertyPath path, String text) {
        this.kind = kind;
        this.path = path;
        this.text = text;
    }

    static TagSource parse(String text) {
        String s = text == null ? "" : text.trim();
        switch (s) {
            case "outcome":
                return new TagSource(Kind.OUTCOME, null, s);
            case "error.category":
            case "error_category":
                return new TagSource(Kind.ERROR_CATEGORY, null, s);
            case "error.type":
            case "error_type":
                return new TagSource(Kind.ERROR_TYPE, null, s);
            default:
                if (s.length() >= 2 && s.charAt(0) == '\'' && s.charAt(s.length() - 1) == '\'') {
                    return constant(s.substring(1, s.length() - 1));
                }
                try {
                    return new TagSource(Kind.PATH, PropertyPath.parse(s), s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            e.getMessage()
                                    + "; a tag is outcome, error.category, error.type, argN[.path], return[.path] or a 'quoted' constant");
                }
        }
    }

    static TagSource constant(String value) {
        return new TagSource(Kind.CONSTANT, null, "'" + value + "'");
    }

    static TagSource result() {
        return new TagSource(Kind.RESULT, null, "result");
    }

    /** The constant's value, for {@link Kind#CONSTANT}. */
    String constantValue() {
        return text.substring(1, text.length() - 1);
    }

    Kind kind() {
        return kind;
    }

    PropertyPath path() {
        return path;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagSource && ((TagSource) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}

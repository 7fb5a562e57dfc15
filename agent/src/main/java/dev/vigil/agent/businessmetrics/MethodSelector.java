package dev.vigil.agent.businessmetrics;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which methods a hook instruments, written {@code class#method(parameters)}:
 *
 * <ul>
 *   <li>class: a fully qualified name; {@code *} stands for any characters but a dot, {@code **} for
 *       any characters; a trailing {@code +} also selects every subclass and implementation;
 *   <li>method: a name, with {@code *} for any characters;
 *   <li>parameters (optional): none means every overload; otherwise each parameter is a type name
 *       (fully qualified, simple, primitive or {@code Type[]}) or {@code *} for any one type, and a
 *       last {@code ..} accepts any further parameters.
 * </ul>
 *
 * <p>Constructors, abstract, native, synthetic and bridge methods are never selected.
 */
final class MethodSelector {
    private final String text;
    private final String classPattern;
    private final boolean subtypes;
    private final String methodPattern;
    private final List<String> parameters; // null: any parameters
    private final boolean moreParameters;

    private MethodSelector(
            String text,
            String classPattern,
            boolean subtypes,
            String methodPattern,
            List<String> parameters,
            boolean moreParameters) {
        this.text = text;
        this.classPattern = classPattern;
        this.subtypes = subtypes;
        this.methodPattern = methodPattern;
        this.parameters = parameters;
        this.moreParameters = moreParameters;
    }

    /** Parses a selector; the exception's message says what is wrong. */
    static MethodSelector parse(String text) {
        String s = text == null ? "" : text.trim();
        int hash = s.indexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("method selector '" + s
                    + "' needs a '#' between the class and the method, e.g. com.shop.OrderService#placeOrder");
        }
        String type = s.substring(0, hash).trim();
        String rest = s.substring(hash + 1).trim();
        boolean subtypes = type.endsWith("+");
        if (subtypes) {
            type = type.substring(0, type.length() - 1).trim();
        }
        if (type.isEmpty() || !type.matches("[\\w$.*]+") || type.startsWith(".") || type.endsWith(".")) {
            throw new IllegalArgumentException("class pattern '" + type + "' in '" + s
                    + "' is not a class name (letters, digits, '_', '$', '.', with '*' or '**' as wildcards)");
        }
        String method = rest;
        List<String> params = null;
        boolean more = false;
        int open = rest.indexOf('(');
        if (open >= 0) {
            if (!rest.endsWith(")")) {
                throw new IllegalArgumentException("parameter list in '" + s + "' must end with ')'");
            }
            method = rest.substring(0, open).trim();
            String inner = rest.substring(open + 1, rest.length() - 1).trim();
            params = new ArrayList<>();
            if (!inner.isEmpty()) {
                String[] parts = inner.split(",", -1);
                for (int i = 0; i < parts.length; i++) {
                    String p = parts[i].trim();
                    if (p.equals("..")) {
                        if (i != parts.length - 1) {
                            throw new IllegalArgumentException("'..' must be the last parameter in '" + s + "'");
                        }
                        more = true;
                    } else if (p.equals("*") || p.matches("[\\w$.]+(\\[\\])*")) {
                        params.add(p);
                    } else {
                        throw new IllegalArgumentException(
                                "parameter " + (i + 1) + " '" + p + "' in '" + s + "' is not a type name, '*' or '..'");
                    }
                }
            }
            params = Collections.unmodifiableList(params);
        }
        if (method.isEmpty() || !method.matches("[\\w$*]+")) {
            throw new IllegalArgumentException("method name '" + method + "' in '" + s
                    + "' is not a method name (letters, digits, '_', '$', with '*' as wildcard)");
        }
        return new MethodSelector(s, type, subtypes, method, params, more);
    }

    /** The class name when it has no wildcard (to check that it exists), else null. */
    String exactClassName() {
        return classPattern.indexOf('*') < 0 ? classPattern : null;
    }

    boolean includesSubtypes() {
        return subtypes;
    }

    String methodPattern() {
        return methodPattern;
    }

    ElementMatcher<TypeDescription> typeMatcher() {
        ElementMatcher.Junction<TypeDescription> named = new NameMatches(glob(classPattern, true));
        if (subtypes) {
            return hasSuperType(named);
        }
        return named;
    }

    ElementMatcher<MethodDescription> methodMatcher() {
        Pattern name = glob(methodPattern, false);
        return not(isConstructor())
                .and(not(isTypeInitializer()))
                .and(not(isAbstract()))
                .and(not(isNative()))
                .and(not(isSynthetic()))
                .and(not(isBridge()))
                .and(m -> name.matcher(m.getName()).matches() && parametersMatch(m));
    }

    private boolean parametersMatch(MethodDescription method) {
        if (parameters == null) {
            return true;
        }
        List<TypeDescription> types = method.getParameters().asTypeList().asErasures();
        if (moreParameters ? types.size() < parameters.size() : types.size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (!typeMatches(parameters.get(i), types.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean typeMatches(String pattern, TypeDefinition type) {
        if (pattern.equals("*")) {
            return true;
        }
        String actual = type.asErasure().getActualName();
        if (pattern.equals(actual)) {
            return true;
        }
        // A name without a package matches the simple name: "String" is java.lang.String, "Order[]" any Order array.
        if (pattern.indexOf('.') < 0) {
            int dot = actual.lastIndexOf('.');
            String simple = actual.substring(dot + 1);
            int dollar = simple.lastIndexOf('$');
            return pattern.equals(simple) || pattern.equals(simple.substring(dollar + 1));
        }
        return false;
    }

    /** {@code *} is any run of characters without a dot (for classes) or any run (for methods); {@code **} any run. */
    static Pattern glob(String pattern, boolean dotted) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append(dotted ? "[^.]*" : ".*");
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodSelector && ((MethodSelector) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static final class NameMatches extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
        private final Pattern pattern;

        NameMatches(Pattern pattern) {
            this.pattern = pattern;
        }

        @Override
        public boolean matches(TypeDescription target) {
            return pattern.matcher(target.getName()).matches();
        }
    }
}

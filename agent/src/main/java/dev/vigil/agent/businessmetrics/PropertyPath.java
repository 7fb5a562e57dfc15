package dev.vigil.agent.businessmetrics;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A safe path into a method's arguments or return value: {@code arg0}, {@code arg1.customer.region},
 * {@code return.items[0].price}, {@code arg0['sku']}. Each step reads, in this order: a map key, a
 * list or array index, {@code size}/{@code length} of a collection, map, array or string, a getter
 * ({@code getX()}, {@code isX()}), a record component accessor, or a public field. Nothing else is
 * ever called: no setters, no methods with arguments, no expressions.
 *
 * <p>{@link #evaluate} never throws: a step that does not exist, fails or meets null gives
 * {@link #UNRESOLVED} or null.
 */
final class PropertyPath {
    /** The result of a path that could not be followed (missing property, failing getter, index out of range). */
    static final Object UNRESOLVED = new Object() {
        @Override
        public String toString() {
            return "<unresolved>";
        }
    };

    /** Where a path starts. */
    enum Root {
        ARGUMENT,
        RETURN
    }

    private final String text;
    private final Root root;
    private final int argument;
    private final Step[] steps;

    private PropertyPath(String text, Root root, int argument, Step[] steps) {
        this.text = text;
        this.root = root;
        this.argument = argument;
        this.steps = steps;
    }

    /** Parses {@code argN[...]} or {@code return[...]}; the exception's message says what is wrong and where. */
    static PropertyPath parse(String text) {
        String s = text == null ? "" : text.trim();
        int i = 0;
        while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
            i++;
        }
        String head = s.substring(0, i);
        Root root;
        int argument = -1;
        if (head.equals("return")) {
            root = Root.RETURN;
        } else if (head.matches("arg\\d{1,3}")) {
            root = Root.ARGUMENT;
            argument = Integer.parseInt(head.substring(3));
        } else {
            throw new IllegalArgumentException(
                    "path '" + s + "' must start with argN (N = 0 for the first argument)" + " or return");
        }
        List<Step> steps = new ArrayList<>();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
                    i++;
                }
                if (start == i || !Character.isJavaIdentifierStart(s.charAt(start))) {
                    throw new IllegalArgumentException(
                            "path '" + s + "': expected a property name at position " + (start + 1));
                }
                steps.add(new Step(s.substring(start, i), -1));
            } else if (c == '[') {
                int close = s.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException(
                            "path '" + s + "': '[' at position " + (i + 1) + " is not closed");
                }
                String inside = s.substring(i + 1, close).trim();
                if (inside.matches("\\d{1,9}")) {
                    steps.add(new Step(null, Integer.parseInt(inside)));
                } else if (inside.length() >= 2
                        && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
                        && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
                    steps.add(new Step(inside.substring(1, inside.length() - 1), -2));
                } else {
                    throw new IllegalArgumentException("path '" + s + "': [" + inside + "] at position " + (i + 1)
                            + " must be an index like [0] or a quoted key like ['sku']");
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("path '" + s + "': unexpected '" + c + "' at position " + (i + 1)
                        + " (only .name, [index] and" + " ['key'] are allowed)");
            }
        }
        return new PropertyPath(s, root, argument, steps.toArray(new Step[0]));
    }

    Root root() {
        return root;
    }

    /** The argument index for {@link Root#ARGUMENT}, else -1. */
    int argument() {
        return argument;
    }

    /** Follows the path; returns the value, null, or {@link #UNRESOLVED}. */
    Object evaluate(Object[] arguments, Object returned) {
        Object current;
        if (root == Root.RETURN) {
            current = returned;
        } else {
            if (arguments == null || argument >= arguments.length) {
                return UNRESOLVED;
            }
            current = arguments[argument];
        }
        for (Step step : steps) {
            if (current == null || current == UNRESOLVED) {
                return current;
            }
            current = step.apply(current);
        }
        return current;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One {@code .name}, {@code [index]} or {@code ['key']}; caches how to read it per class. */
    private static final class Step {
        private final String name; // property or key; null for an index
        private final int index; // >= 0 index, -1 property, -2 quoted key
        private final Map<Class<?>, Accessor> accessors = new ConcurrentHashMap<>();

        Step(String name, int index) {
            this.name = name;
            this.index = index;
        }

        Object apply(Object target) {
            if (target instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) target;
                if (index >= 0) {
                    return getOrUnresolved(map, index);
                }
                if (index == -1 && name.equals("size") && !map.containsKey(name)) {
                    return map.size();
                }
                return getOrUnresolved(map, name);
            }
            if (index >= 0) {
                if (target instanceof List) {
                    List<?> list = (List<?>) target;
                    return index < list.size() ? list.get(index) : UNRESOLVED;
                }
                if (target.getClass().isArray()) {
                    return index < Array.getLength(target) ? Array.get(target, index) : UNRESOLVED;
                }
                return UNRESOLVED;
            }
            if (index == -2) {
                return UNRESOLVED; // a quoted key on something that is not a map
            }
            if (name.equals("size") && target instanceof Collection) {
                return ((Collection<?>) target).size();
            }
            if (name.equals("length")) {
                if (target.getClass().isArray()) {
                    return Array.getLength(target);
                }
                if (target instanceof CharSequence) {
                    return ((CharSequence) target).length();
                }
            }
            Accessor accessor = accessors.get(target.getClass());
            if (accessor == null) {
                if (accessors.size() > 64) {
                    accessors.clear(); // bound the cache when a path sees many classes (e.g. generated proxies)
                }
                accessor = Accessor.find(target.getClass(), name);
                accessors.put(target.getClass(), accessor);
            }
            return accessor.read(target);
        }

        private static Object getOrUnresolved(Map<?, ?> map, Object key) {
            try {
                Object v = map.get(key);
                return v != null || map.containsKey(key) ? v : UNRESOLVED;
            } catch (RuntimeException e) {
                return UNRESOLVED; // a map that rejects the key type
            }
        }
    }

    /** Reads one property of one class: a getter, a record accessor or a public field. */
    private static final class Accessor {
        static final Accessor NONE = new Accessor(null, null);

        private final Method method;
        private final Field field;

        private Accessor(Method method, Field field) {
            this.method = method;
            this.field = field;
        }

        static Accessor find(Class<?> type, String name) {
            String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            Method m = publicNoArg(type, "get" + cap);
            if (m == null) {
                m = publicNoArg(type, "is" + cap);
                if (m != null && m.getReturnType() != boolean.class && m.getReturnType() != Boolean.class) {
                    m = null;
                }
            }
            if (m == null && isRecord(type)) {
                m = publicNoArg(type, name);
            }
            if (m != null) {
                Method callable = accessible(m);
                return callable == null ? NONE : new Accessor(callable, null);
            }
            try {
                Field f = type.getField(name);
                if (!Modifier.isStatic(f.getModifiers())
                        && (Modifier.isPublic(f.getDeclaringClass().getModifiers()) || f.trySetAccessible())) {
                    return new Accessor(null, f);
                }
            } catch (NoSuchFieldException | SecurityException e) {
                // no such public field
            }
            return NONE;
        }

        Object read(Object target) {
            try {
                if (method != null) {
                    return method.invoke(target);
                }
                if (field != null) {
                    return field.get(target);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return UNRESOLVED; // the getter threw, or the class changed: the app must not see it
            }
            return UNRESOLVED;
        }

        private static Method publicNoArg(Class<?> type, String name) {
            try {
                Method m = type.getMethod(name);
                return Modifier.isStatic(m.getModifiers()) || m.getReturnType() == void.class ? null : m;
            } catch (NoSuchMethodException | SecurityException e) {
                return null;
            }
        }

        /**
         * A public method of a non-public class (a package-private implementation of a public interface)
         * cannot be invoked through that class: find the same method on a public supertype, or open it.
         */
        private static Method accessible(Method m) {
            if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                return m;
            }
            for (Class<?> c = m.getDeclaringClass(); c != null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    Method viaInterface = publicMethodOf(i, m);
                    if (viaInterface != null) {
                        return viaInterface;
                    }
                }
                Method viaClass = publicMethodOf(c, m);
                if (viaClass != null) {
                    return viaClass;
                }
            }
            return m.trySetAccessible() ? m : null;
        }

        private static Method publicMethodOf(Class<?> c, Method m) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return null;
            }
            try {
                return c.getMethod(m.getName());
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        private static boolean isRecord(Class<?> type) {
            Class<?> parent = type.getSuperclass();
            return parent != null && parent.getName().equals("java.lang.Record");
        }
    }
}

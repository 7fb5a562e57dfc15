package dev.vigil.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One type matched by its exact name, with advice for some of its methods: the common case of
 * instrumenting a library's central class (a logger's dispatch method, an appender).
 */
public final class NamedTypeInstrumentation implements TypeInstrumentation {
    private final String typeName;
    private final ElementMatcher<ClassLoader> loaderMatcher;
    private final List<ElementMatcher<? super MethodDescription>> methods = new ArrayList<>();
    private final List<String> advice = new ArrayList<>();

    private NamedTypeInstrumentation(String typeName, ElementMatcher<ClassLoader> loaderMatcher) {
        this.typeName = typeName;
        this.loaderMatcher = loaderMatcher;
    }

    /** The type named {@code typeName}, in any class loader. */
    public static NamedTypeInstrumentation of(String typeName) {
        return new NamedTypeInstrumentation(typeName, any());
    }

    /** The type named {@code typeName}, only in loaders that {@link ClassLoaders#hasClasses see it}. */
    public static NamedTypeInstrumentation inLoadersWith(String typeName) {
        return new NamedTypeInstrumentation(typeName, ClassLoaders.hasClasses(typeName));
    }

    /** Applies the advice class (by name) to the methods that match. */
    public NamedTypeInstrumentation advise(ElementMatcher<? super MethodDescription> method, String adviceClassName) {
        methods.add(method);
        advice.add(adviceClassName);
        return this;
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaderMatcher() {
        return loaderMatcher;
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
        return named(typeName);
    }

    @Override
    public void transform(Transformer transformer) {
        for (int i = 0; i < methods.size(); i++) {
            transformer.applyAdvice(methods.get(i), advice.get(i));
        }
    }
}

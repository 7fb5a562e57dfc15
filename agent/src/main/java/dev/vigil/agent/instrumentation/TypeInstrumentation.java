package dev.vigil.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.any;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Which types to transform and which advice to apply to which of their methods. */
public interface TypeInstrumentation {

    /**
     * A cheap test on the class loader that runs before {@link #typeMatcher()}: typically "can this
     * loader see the library at all" ({@link ClassLoaders#hasClasses}), so that expensive hierarchy
     * matching runs only where the library is present.
     */
    default ElementMatcher<ClassLoader> classLoaderMatcher() {
        return any();
    }

    ElementMatcher<? super TypeDescription> typeMatcher();

    void transform(Transformer transformer);

    /** Receives the advice of a {@link TypeInstrumentation}. */
    interface Transformer {
        /** Applies the advice class (by name: it is never loaded by the agent) to matching methods. */
        void applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
    }
}

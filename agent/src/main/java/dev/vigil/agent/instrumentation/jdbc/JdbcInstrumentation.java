package dev.vigil.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * JDBC drivers and pools, whatever their vendor: every {@code Statement} and {@code Connection}
 * implementation. Pools wrap the driver's objects, so calls nest; the outermost one is recorded
 * and the nested one only says which driver it reached.
 */
public final class JdbcInstrumentation implements InstrumentationModule {
    private static final String ADVICE = "dev.vigil.agent.instrumentation.jdbc.";

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new StatementType(), new PreparedStatementType(), new ConnectionType());
    }

    private static ElementMatcher.Junction<TypeDescription> implementing(String type) {
        return not(isInterface()).and(hasSuperType(named(type)));
    }

    private static final class StatementType implements TypeInstrumentation {
        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return implementing("java.sql.Statement");
        }

        @Override
        public void transform(Transformer transformer) {
            transformer.applyAdvice(
                    isPublic()
                            .and(not(isAbstract()))
                            .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                            .and(takesArgument(0, String.class)),
                    ADVICE + "StatementExecuteAdvice");
            transformer.applyAdvice(
                    isPublic()
                            .and(not(isAbstract()))
                            .and(namedOneOf("executeBatch", "executeLargeBatch"))
                            .and(takesArguments(0)),
                    ADVICE + "PreparedExecuteAdvice");
        }
    }

    private static final class PreparedStatementType implements TypeInstrumentation {
        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return implementing("java.sql.PreparedStatement");
        }

        @Override
        public void transform(Transformer transformer) {
            transformer.applyAdvice(
                    isPublic()
                            .and(not(isAbstract()))
                            .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                            .and(takesArguments(0)),
                    ADVICE + "PreparedExecuteAdvice");
        }
    }

    private static final class ConnectionType implements TypeInstrumentation {
        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return implementing("java.sql.Connection");
        }

        @Override
        public void transform(Transformer transformer) {
            transformer.applyAdvice(
                    isPublic()
                            .and(not(isAbstract()))
                            .and(namedOneOf("prepareStatement", "prepareCall"))
                            .and(takesArgument(0, String.class)),
                    ADVICE + "PrepareStatementAdvice");
        }
    }
}

package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.agent.bootstrap.CallDepth;
import dev.vigil.agent.bootstrap.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the no-argument {@code execute*} of prepared statements and {@code executeBatch} of
 * every statement: the SQL is the one the statement was prepared with (null for a plain batch).
 */
public final class PreparedExecuteAdvice {
    private PreparedExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object statement, @Advice.Origin("#m") String method) {
        if (CallDepth.JDBC.enter() > 0) {
            JdbcBridge.nested(statement);
            return null;
        }
        return JdbcBridge.start(statement, JdbcBridge.preparedSql(statement), method.endsWith("Batch"));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object execution, @Advice.Thrown Throwable error) {
        if (CallDepth.JDBC.exit() > 0 || execution == null) {
            return;
        }
        JdbcBridge.end(execution, error);
    }
}

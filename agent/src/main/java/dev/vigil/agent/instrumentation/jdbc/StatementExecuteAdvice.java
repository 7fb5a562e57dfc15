package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.agent.bootstrap.CallDepth;
import dev.vigil.agent.bootstrap.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Statement.execute*(String sql, ...)} implementations. */
public final class StatementExecuteAdvice {
    private StatementExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
        if (CallDepth.JDBC.enter() > 0) {
            JdbcBridge.nested(statement);
            return null;
        }
        return JdbcBridge.start(statement, sql, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object execution, @Advice.Thrown Throwable error) {
        if (CallDepth.JDBC.exit() > 0 || execution == null) {
            return;
        }
        JdbcBridge.end(execution, error);
    }
}

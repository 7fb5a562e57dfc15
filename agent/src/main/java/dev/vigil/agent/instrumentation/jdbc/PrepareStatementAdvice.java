package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.agent.bootstrap.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of {@code Connection.prepareStatement/prepareCall(String sql, ...)}. */
public final class PrepareStatementAdvice {
    private PrepareStatementAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
        JdbcBridge.prepared(statement, sql);
    }
}

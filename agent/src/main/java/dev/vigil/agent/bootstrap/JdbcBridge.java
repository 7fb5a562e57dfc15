package dev.vigil.agent.bootstrap;

/**
 * JDBC: called by the advice on {@code Connection.prepare*} and {@code Statement.execute*}. The
 * agent core makes a CLIENT span with the sanitised SQL and the
 * {@code db.client.operation.duration} histogram, and reports SQLExceptions.
 */
public final class JdbcBridge {
    /** Implemented by the agent core. */
    public interface Handler {
        /** Starts one statement execution; {@code sql} may be null (a plain Statement's batch). */
        Object start(Class<?> statementType, String sql, boolean batch);

        /** A nested call (a pooled statement delegating to the driver's): tells which driver runs it. */
        void nested(Class<?> statementType);

        void end(Object execution, Throwable error);
    }

    private static volatile Handler handler;

    /** The SQL each prepared statement was created with: PreparedStatement does not expose it. */
    private static final WeakRegistry<String> PREPARED_SQL = new WeakRegistry<>();

    private JdbcBridge() {}

    public static void install(Handler h) {
        handler = h;
    }

    /** Remembers the SQL of a statement returned by {@code prepareStatement}/{@code prepareCall}. */
    public static void prepared(Object statement, String sql) {
        if (statement != null && sql != null && handler != null) {
            PREPARED_SQL.put(statement, sql);
        }
    }

    /** The SQL a prepared statement was created with, or null. */
    public static String preparedSql(Object statement) {
        return PREPARED_SQL.get(statement);
    }

    /** Starts an execution; null when the agent is not ready, the thread is the agent's, or tracing is off. */
    public static Object start(Object statement, String sql, boolean batch) {
        Handler h = handler;
        if (h == null || statement == null || Suppression.active()) {
            return null;
        }
        return h.start(statement.getClass(), sql, batch);
    }

    public static void nested(Object statement) {
        Handler h = handler;
        if (h != null && statement != null) {
            h.nested(statement.getClass());
        }
    }

    public static void end(Object execution, Throwable error) {
        Handler h = handler;
        if (h != null && execution != null) {
            h.end(execution, error);
        }
    }
}

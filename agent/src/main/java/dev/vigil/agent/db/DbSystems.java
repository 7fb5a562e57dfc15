package dev.vigil.agent.db;

/**
 * The {@code db.system.name} of a JDBC statement, told from its implementation's package: no call
 * into the driver is needed. Unknown drivers and pool wrappers give {@code other_sql}; a pool's
 * wrapper is refined by the driver statement it delegates to.
 */
final class DbSystems {
    static final String OTHER = "other_sql";

    private static final String[][] PREFIXES = {
        {"org.h2.", "h2"},
        {"org.postgresql.", "postgresql"},
        {"com.mysql.", "mysql"},
        {"org.mariadb.", "mariadb"},
        {"oracle.jdbc.", "oracle.db"},
        {"com.microsoft.sqlserver.", "microsoft.sql_server"},
        {"org.sqlite.", "sqlite"},
        {"org.hsqldb.", "hsqldb"},
        {"org.apache.derby.", "derby"},
        {"com.ibm.db2.", "ibm.db2"},
        {"org.firebirdsql.", "firebirdsql"},
        {"com.clickhouse.", "clickhouse"},
        {"net.snowflake.", "snowflake"},
        {"io.trino.", "trino"},
        {"com.amazon.redshift.", "aws.redshift"},
    };

    private static final ClassValue<String> BY_TYPE = new ClassValue<String>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getName();
            for (String[] p : PREFIXES) {
                if (name.startsWith(p[0])) {
                    return p[1];
                }
            }
            return OTHER;
        }
    };

    private DbSystems() {}

    static String of(Class<?> statementType) {
        return BY_TYPE.get(statementType);
    }
}

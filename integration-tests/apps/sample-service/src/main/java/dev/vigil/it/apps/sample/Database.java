package dev.vigil.it.apps.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** An in-memory H2 database with one small table. */
final class Database {
    private Database() {}

    static Connection open() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:sample;DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(64))");
            s.execute("INSERT INTO users VALUES (1, 'ann'), (2, 'bob'), (3, 'o''brien')");
            s.execute("CREATE TABLE events (id IDENTITY PRIMARY KEY, kind VARCHAR(64))");
        }
        return c;
    }
}

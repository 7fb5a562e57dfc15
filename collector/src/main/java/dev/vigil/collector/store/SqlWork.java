package dev.vigil.collector.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with a connection inside {@link Database#write} or {@link Database#read}. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}

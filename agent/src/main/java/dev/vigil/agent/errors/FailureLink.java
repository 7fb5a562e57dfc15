package dev.vigil.agent.errors;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One exception of a cause chain, reduced to the facts classification reads: its class and
 * superclass names (most specific first, read from the already loaded class, nothing is loaded),
 * its message, and for JDBC its SQLState and vendor code.
 */
final class FailureLink {
    static final int NO_VENDOR_CODE = Integer.MIN_VALUE;

    final List<String> typeNames;
    final String message;
    final String sqlState;
    final int vendorCode;

    FailureLink(List<String> typeNames, String message, String sqlState, int vendorCode) {
        this.typeNames = typeNames;
        this.message = message;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    String type() {
        return typeNames.get(0);
    }

    /**
     * The cause chain of {@code error}, outermost first, safe against cycles and throwing accessors.
     * A {@link SQLException} without a cause continues with its next exception, where drivers such
     * as PostgreSQL's put the real failure of a batch.
     */
    static List<FailureLink> chainOf(Throwable error) {
        List<FailureLink> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = error;
        while (t != null && out.size() < ErrorFingerprint.MAX_CHAIN && seen.add(t)) {
            out.add(of(t));
            Throwable next = cause(t);
            if (next == null && t instanceof SQLException) {
                next = nextException((SQLException) t);
            }
            t = next;
        }
        return out;
    }

    /** Links from parsed stack-trace text (the collector's view): type names only, no superclasses. */
    static List<FailureLink> chainOf(List<ExceptionInfo> chain) {
        List<FailureLink> out = new ArrayList<>(chain.size());
        for (ExceptionInfo e : chain) {
            out.add(new FailureLink(Collections.singletonList(e.type()), e.message(), null, NO_VENDOR_CODE));
        }
        return out;
    }

    private static FailureLink of(Throwable t) {
        List<String> names = new ArrayList<>(6);
        for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            names.add(c.getName());
        }
        String sqlState = null;
        int vendor = NO_VENDOR_CODE;
        if (t instanceof SQLException) {
            try {
                sqlState = ((SQLException) t).getSQLState();
                vendor = ((SQLException) t).getErrorCode();
            } catch (RuntimeException e) {
                // a driver's accessor failed: classify by type and message alone
            }
        }
        return new FailureLink(Collections.unmodifiableList(names), ErrorFingerprint.safeMessage(t), sqlState, vendor);
    }

    private static Throwable cause(Throwable t) {
        try {
            return t.getCause();
        } catch (Throwable e) {
            ErrorFingerprint.rethrowIfFatal(e);
            return null;
        }
    }

    private static Throwable nextException(SQLException e) {
        try {
            return e.getNextException();
        } catch (RuntimeException ignored) {
            return null;
        }
    }
}

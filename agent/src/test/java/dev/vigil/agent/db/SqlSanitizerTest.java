package dev.vigil.agent.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlSanitizerTest {
    private static String mask(String sql) {
        return SqlSanitizer.sanitize(sql).text;
    }

    @Test
    void stringLiteralsBecomePlaceholders() {
        assertThat(mask("SELECT * FROM users WHERE name = 'ann' AND city='Paris'"))
                .isEqualTo("SELECT * FROM users WHERE name = ? AND city=?");
    }

    @Test
    void doubledAndBackslashEscapedQuotesStayInsideTheLiteral() {
        assertThat(mask("SELECT 1 FROM t WHERE a = 'o''brien' AND b = 'it\\'s' AND c = 'x'"))
                .isEqualTo("SELECT ? FROM t WHERE a = ? AND b = ? AND c = ?");
    }

    @Test
    void numbersBecomePlaceholdersButNotDigitsInsideNames() {
        assertThat(mask("SELECT col_2, t1.x FROM t1 WHERE id = 42 AND price > 3.14 AND r < 1e-3 AND h = 0xFF"))
                .isEqualTo("SELECT col_2, t1.x FROM t1 WHERE id = ? AND price > ? AND r < ? AND h = ?");
        assertThat(mask("SELECT * FROM t WHERE a = -7 AND b = .5")).isEqualTo("SELECT * FROM t WHERE a = -? AND b = ?");
    }

    @Test
    void commentsAreDroppedAndWhitespaceCollapsed() {
        assertThat(mask("SELECT a -- the user's secret 123\n  FROM t /* hint: 'x' */ WHERE b = 1"))
                .isEqualTo("SELECT a FROM t WHERE b = ?");
        assertThat(mask("SELECT a FROM t # mysql comment 'x'\nWHERE b = 2")).isEqualTo("SELECT a FROM t WHERE b = ?");
    }

    @Test
    void inListsOfAnyLengthCollapseToOnePlaceholder() {
        assertThat(mask("DELETE FROM t WHERE id IN (1, 2, 3, 4)")).isEqualTo("DELETE FROM t WHERE id IN (?)");
        assertThat(mask("SELECT * FROM t WHERE k in ('a','b') AND j IN (?, ?)"))
                .isEqualTo("SELECT * FROM t WHERE k in (?) AND j IN (?)");
        assertThat(mask("SELECT * FROM t WHERE id IN (1)")).isEqualTo("SELECT * FROM t WHERE id IN (?)");
    }

    @Test
    void placeholderListsThatAreNotInListsAreKept() {
        assertThat(mask("INSERT INTO t (a, b) VALUES (1, 'x')")).isEqualTo("INSERT INTO t (a, b) VALUES (?, ?)");
        assertThat(mask("SELECT coalesce(?, ?) FROM t")).isEqualTo("SELECT coalesce(?, ?) FROM t");
        assertThat(mask("SELECT * FROM t WHERE origin (1, 2)")).isEqualTo("SELECT * FROM t WHERE origin (?, ?)");
    }

    @Test
    void quotedIdentifiersAreKept() {
        assertThat(mask("SELECT \"Name\", `id` FROM \"My Table\" WHERE \"x\" = 'v'"))
                .isEqualTo("SELECT \"Name\", `id` FROM \"My Table\" WHERE \"x\" = ?");
    }

    @Test
    void prefixedAndDollarQuotedLiteralsAreMasked() {
        assertThat(mask("SELECT E'a\\nb', N'x', X'0F' FROM t")).isEqualTo("SELECT ?, ?, ? FROM t");
        assertThat(mask("SELECT $$it's $1$$, $tag$body$tag$ FROM t WHERE a = $1"))
                .isEqualTo("SELECT ?, ? FROM t WHERE a = $1");
    }

    @Test
    void unterminatedLiteralIsMaskedToTheEndRatherThanLeaked() {
        assertThat(mask("SELECT * FROM t WHERE password = 'hunter2")).isEqualTo("SELECT * FROM t WHERE password = ?");
        assertThat(mask("SELECT 1 /* never closed 'secret'")).isEqualTo("SELECT ?");
    }

    @Test
    void operationAndTableOfSimpleStatements() {
        assertThat(SqlSanitizer.sanitize("select * from users where id = 1").operation)
                .isEqualTo("SELECT");
        assertThat(SqlSanitizer.sanitize("select * from users where id = 1").table)
                .isEqualTo("users");
        assertThat(SqlSanitizer.sanitize("INSERT INTO shop.orders (a) VALUES (1)").table)
                .isEqualTo("shop.orders");
        assertThat(SqlSanitizer.sanitize("UPDATE users SET a = 1").table).isEqualTo("users");
        assertThat(SqlSanitizer.sanitize("DELETE FROM users WHERE a = 1").table).isEqualTo("users");
    }

    @Test
    void noTableWhenTheStatementHasSeveral() {
        assertThat(SqlSanitizer.sanitize("SELECT * FROM a, b WHERE a.id = b.id").table)
                .isNull();
        assertThat(SqlSanitizer.sanitize("SELECT * FROM a WHERE x IN (SELECT y FROM b)").table)
                .isNull();
        assertThat(SqlSanitizer.sanitize("CREATE TABLE t (id INT)").table).isNull();
        assertThat(SqlSanitizer.sanitize("CREATE TABLE t (id INT)").operation).isEqualTo("CREATE");
    }

    @Test
    void emptyAndOddInputNeverFails() {
        assertThat(mask("")).isEmpty();
        assertThat(SqlSanitizer.sanitize("   ").operation).isNull();
        assertThat(mask("'")).isEqualTo("?");
        assertThat(mask("--")).isEmpty();
        assertThat(mask("$")).isEqualTo("$");
    }
}

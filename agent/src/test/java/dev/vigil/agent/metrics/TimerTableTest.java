package dev.vigil.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimerTableTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TimerTable table = new TimerTable(registry, "db.client.operation.duration", "test", "a", "b", "c");

    @Test
    void sameValuesGiveTheSameTimerAndOtherValuesAnother() {
        Timer first = table.timer("h2", "SELECT", "");
        assertThat(table.timer("h2", "SELECT", "")).isSameAs(first);
        Timer other = table.timer("h2", "SELECT", "org.h2.jdbc.JdbcSQLSyntaxErrorException");
        assertThat(other).isNotSameAs(first);
        first.record(5, TimeUnit.MILLISECONDS);
        assertThat(registry.get("db.client.operation.duration")
                        .tags("a", "h2", "b", "SELECT", "c", "")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.find("db.client.operation.duration").timers()).hasSize(2);
    }

    @Test
    void valuesAreNotConfusedAcrossPositions() {
        assertThat(table.timer("x", "y", "")).isNotSameAs(table.timer("x", "", "y"));
    }

    @Test
    void wrongNumberOfValuesIsAProgrammingError() {
        assertThatThrownBy(() -> table.timer("a", "b", "c", "d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 3 labels, not 4");
    }
}

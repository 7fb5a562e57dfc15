package dev.vigil.agent.businessmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.errors.ErrorClassifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookTableTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HookTable table = new HookTable();

    private int activate(String name) {
        HookSpec spec = HookFileParser.parse(
                        "vigil.yaml", "metrics:\n  - {name: " + name + ", type: counter, method: 'x.Y#z'}\n")
                .hooks
                .get(0);
        int id = table.allocate();
        ActiveHook hook = new ActiveHook(
                id,
                spec,
                new MetricFamily(spec, registry, 100),
                128,
                BusinessMetrics.errorCategory(ErrorClassifier.create()),
                registry,
                false);
        table.update(Collections.emptyList(), Map.of(id, hook));
        return id;
    }

    private void call(int id, Runnable body) {
        Object state = table.enter(id);
        body.run();
        if (state != null) {
            table.exit(id, state, 0, null, null, null);
        }
    }

    @Test
    void onlyTheOutermostCallOfAHookIsRecorded() {
        int id = activate("recursive");
        call(id, () -> call(id, () -> call(id, () -> {})));
        call(id, () -> {});
        assertThat(registry.get("recursive").counter().count()).isEqualTo(2);
    }

    @Test
    void differentHooksNestFreely() {
        int outer = activate("outer");
        int inner = activate("inner");
        call(outer, () -> call(inner, () -> {}));
        assertThat(registry.get("outer").counter().count()).isEqualTo(1);
        assertThat(registry.get("inner").counter().count()).isEqualTo(1);
    }

    @Test
    void unknownAndRemovedHooksRecordNothing() {
        assertThat(table.enter(12345)).isNull();
        int id = activate("removed");
        Object state = table.enter(id);
        table.update(List.of(id), Map.of());
        table.exit(id, state, 0, null, null, null);
        assertThat(table.enter(id)).isNull();
        assertThat(registry.get("removed").counter().count()).isZero();
    }

    @Test
    void hookNumbersAreNeverReused() {
        int a = table.allocate();
        int b = table.allocate();
        assertThat(b).isGreaterThan(a);
    }

    /** The shaded jar would rewrite these names if they were constants; BusinessMetricsIT checks the jar itself. */
    @Test
    void annotationTypeNamesAreTheApplicationsOwn() {
        assertThat(AnnotationHooks.TIMED).isEqualTo("io.micrometer.core.annotation.Timed");
        assertThat(AnnotationHooks.COUNTED).isEqualTo("io.micrometer.core.annotation.Counted");
        assertThat(AnnotationHooks.WITH_SPAN).isEqualTo("io.opentelemetry.instrumentation.annotations.WithSpan");
        assertThat(AnnotationHooks.SPAN_ATTRIBUTE)
                .isEqualTo("io.opentelemetry.instrumentation.annotations.SpanAttribute");
    }
}

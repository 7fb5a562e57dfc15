package dev.vigil.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedSpanProcessorTest {
    /** An exporter that holds the export thread until released, so the queue can only fill. */
    private static final class StuckExporter implements SpanExporter {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger exported = new AtomicInteger();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            release.countDown();
            return CompletableResultCode.ofSuccess();
        }
    }

    @Test
    void dropsAndCountsSpansWhenTheQueueIsFullWithoutBlockingTheCaller() throws Exception {
        StuckExporter exporter = new StuckExporter();
        BoundedSpanProcessor processor = new BoundedSpanProcessor(exporter, 10, 1, Duration.ofMillis(10));
        SdkTracerProvider provider =
                SdkTracerProvider.builder().addSpanProcessor(processor).build();
        Tracer tracer = provider.get("test");

        tracer.spanBuilder("first").startSpan().end();
        assertThat(exporter.entered.await(10, TimeUnit.SECONDS))
                .as("the export thread took the first span")
                .isTrue();
        for (int i = 0; i < 100; i++) {
            Span span = tracer.spanBuilder("span-" + i).startSpan();
            span.end(); // returns at once although the exporter is stuck
        }

        assertThat(processor.queueSize()).isEqualTo(processor.queueCapacity()).isEqualTo(10);
        assertThat(processor.droppedSpans()).isEqualTo(90);

        exporter.release.countDown();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
        assertThat(exporter.exported.get() + processor.droppedSpans())
                .as("every span is either exported or counted as dropped")
                .isEqualTo(101);
    }
}

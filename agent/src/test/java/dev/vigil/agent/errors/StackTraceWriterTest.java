package dev.vigil.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StackTraceWriterTest {
    @Test
    void printsLikeTheJdkSoTheTextGivesTheSameFingerprint() {
        RuntimeException error = new RuntimeException("outer", new SQLException("inner", "40001"));
        StringWriter jdk = new StringWriter();
        error.printStackTrace(new PrintWriter(jdk));
        assertThat(StackTraceWriter.print(error)).isEqualTo(jdk.toString().replace(System.lineSeparator(), "\n"));
        assertThat(ErrorFingerprint.ofStackTrace(StackTraceWriter.print(error), InAppPolicy.inferred()))
                .isEqualTo(ErrorFingerprint.of(error, InAppPolicy.inferred()));
    }

    @Test
    void theMessageFilterAppliesToEveryMessageAndNothingElse() {
        RuntimeException error = new RuntimeException("outer secret", new IllegalStateException("inner secret"));
        String text = StackTraceWriter.print(error, m -> m.replace("secret", "<redacted>"));
        assertThat(text)
                .startsWith("java.lang.RuntimeException: outer <redacted>\n")
                .contains("Caused by: java.lang.IllegalStateException: inner <redacted>\n")
                .doesNotContain("secret")
                .contains("\tat " + StackTraceWriterTest.class.getName());
    }

    @Test
    void aCauseCycleIsPrintedOnce() {
        Cyclic a = new Cyclic("a");
        Cyclic b = new Cyclic("b");
        a.next = b;
        b.next = a;
        String text = StackTraceWriter.print(a);
        assertThat(text)
                .contains("Caused by: " + Cyclic.class.getName() + ": b")
                .contains("[CIRCULAR REFERENCE: ");
    }

    @Test
    void hugeTracesAreCappedPerException() {
        RuntimeException deep = new RuntimeException("deep");
        deep.setStackTrace(frames(10_000));
        String text = StackTraceWriter.print(deep);
        assertThat(text.split("\n")).hasSize(1 + StackTraceWriter.DEFAULT_MAX_FRAMES + 1);
        assertThat(text).endsWith("\t... " + (10_000 - StackTraceWriter.DEFAULT_MAX_FRAMES) + " frames omitted\n");
    }

    @Test
    void accessorsThatThrowDoNotBreakIt() {
        RuntimeException hostile = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException();
            }

            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException();
            }
        };
        assertThat(StackTraceWriter.print(hostile)).isEqualTo(hostile.getClass().getName() + "\n");
    }

    private static StackTraceElement[] frames(int n) {
        StackTraceElement[] out = new StackTraceElement[n];
        for (int i = 0; i < n; i++) {
            out[i] = new StackTraceElement("com.shop.Deep", "call" + i, "Deep.java", i + 1);
        }
        return out;
    }

    static final class Cyclic extends RuntimeException {
        Throwable next;

        Cyclic(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable getCause() {
            return next;
        }
    }
}

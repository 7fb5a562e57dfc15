package dev.vigil.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorFingerprintTest {
    private static final InAppPolicy APP = InAppPolicy.packages(List.of("com.shop"));

    private static ExceptionInfo ex(String type, String message, String... frames) {
        return new ExceptionInfo(type, message, List.of(frames));
    }

    private static String fp(ExceptionInfo... chain) {
        return ErrorFingerprint.of(List.of(chain), APP);
    }

    private static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void isShortHexAndStable() {
        String id = fp(ex("java.lang.IllegalStateException", "x", "com.shop.Cart.add", "com.shop.Api.post"));
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(fp(ex("java.lang.IllegalStateException", "x", "com.shop.Cart.add", "com.shop.Api.post")))
                .isEqualTo(id);
    }

    @Test
    void throwableAndItsPrintedStackTraceGiveTheSameFingerprint() {
        RuntimeException wrapped = nestedFailure();
        wrapped.addSuppressed(new IllegalArgumentException("suppressed one"));
        String fromThrowable = ErrorFingerprint.of(wrapped, InAppPolicy.inferred());
        String fromText = ErrorFingerprint.ofStackTrace(printed(wrapped), InAppPolicy.inferred());
        assertThat(fromText).isEqualTo(fromThrowable);
        assertThat(StackTraceText.parse(printed(wrapped))).hasSize(2);
    }

    private static RuntimeException nestedFailure() {
        try {
            failDeep(3);
            throw new AssertionError("unreachable");
        } catch (SQLException e) {
            return new RuntimeException("wrapped", e);
        }
    }

    private static void failDeep(int n) throws SQLException {
        if (n == 0) {
            throw new SQLException("deadlock detected", "40P01");
        }
        failDeep(n - 1);
    }

    @Test
    void lineNumbersAndMessagesDoNotSplitAGroupWhenFramesExist() {
        String a = ErrorFingerprint.ofStackTrace(
                "java.lang.IllegalStateException: order 42 missing\n\tat com.shop.Cart.add(Cart.java:10)\n", APP);
        String b = ErrorFingerprint.ofStackTrace(
                "java.lang.IllegalStateException: order 43 gone\n\tat com.shop.Cart.add(Cart.java:99)\n", APP);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void anotherCallSiteOrTypeIsAnotherGroup() {
        String base = fp(ex("java.lang.IllegalStateException", null, "com.shop.Cart.add"));
        assertThat(fp(ex("java.lang.IllegalStateException", null, "com.shop.Cart.remove")))
                .isNotEqualTo(base);
        assertThat(fp(ex("java.lang.IllegalArgumentException", null, "com.shop.Cart.add")))
                .isNotEqualTo(base);
    }

    @Test
    void libraryFramesDoNotCountWhenInAppFramesExist() {
        String a = fp(ex(
                "java.lang.NullPointerException",
                null,
                "org.springframework.web.Dispatcher.handle",
                "com.shop.Cart.add",
                "org.apache.catalina.Valve.invoke"));
        String b = fp(ex(
                "java.lang.NullPointerException",
                null,
                "org.springframework.web.Dispatcher.handleV6",
                "com.shop.Cart.add",
                "io.undertow.Handler.run"));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void withoutInAppFramesTheNonJdkLibraryFramesCountButJdkInternalsDoNot() {
        // JDK internals differ between Java versions; they must not split a group
        String jdk17 = fp(ex(
                "java.net.ConnectException",
                "refused",
                "sun.nio.ch.Net.connect0",
                "sun.nio.ch.NioSocketImpl.connect",
                "org.postgresql.Driver.connect"));
        String jdk25 = fp(ex(
                "java.net.ConnectException",
                "refused",
                "sun.nio.ch.Net.connect1",
                "java.net.Socket.connect",
                "org.postgresql.Driver.connect"));
        assertThat(jdk17).isEqualTo(jdk25);
        assertThat(fp(ex("java.net.ConnectException", "refused", "com.mysql.cj.Driver.connect")))
                .isNotEqualTo(jdk17);
    }

    @Test
    void lambdaFramesAndHiddenClassesAreIgnored() {
        String plain = fp(ex("java.lang.IllegalStateException", null, "com.shop.Cart.add", "com.shop.Api.post"));
        String withLambda = fp(ex(
                "java.lang.IllegalStateException",
                null,
                "com.shop.Cart.lambda$add$3",
                "com.shop.Cart.add",
                "com.shop.Api$$Lambda$57/0x0000000800c0b.apply",
                "com.shop.Api.post"));
        assertThat(withLambda).isEqualTo(plain);
    }

    @Test
    void generatedProxyAndAccessorNamesAreNormalised() {
        assertThat(ErrorFingerprint.normalizeClass("com.shop.CartService$$EnhancerBySpringCGLIB$$1a2b3c"))
                .isEqualTo("com.shop.CartService");
        assertThat(ErrorFingerprint.normalizeClass("com.shop.CartService$$SpringCGLIB$$0"))
                .isEqualTo("com.shop.CartService");
        assertThat(ErrorFingerprint.normalizeClass("com.shop.Order_$$_jvst1a2_3"))
                .isEqualTo("com.shop.Order");
        assertThat(ErrorFingerprint.normalizeClass("com.shop.Order$HibernateProxy$Xy12Zq"))
                .isEqualTo("com.shop.Order");
        assertThat(ErrorFingerprint.normalizeClass("jdk.proxy2.$Proxy45")).isEqualTo("$Proxy");
        assertThat(ErrorFingerprint.normalizeClass("com.sun.proxy.$Proxy7")).isEqualTo("$Proxy");
        assertThat(ErrorFingerprint.normalizeClass("jdk.internal.reflect.GeneratedMethodAccessor123"))
                .isEqualTo("jdk.internal.reflect.GeneratedMethodAccessor");
        assertThat(ErrorFingerprint.normalizeFrame("com.shop.Outer.access$000")).isEqualTo("com.shop.Outer.access$");
        String viaProxy1 =
                fp(ex("java.lang.IllegalStateException", null, "com.shop.Svc$$EnhancerBySpringCGLIB$$aa.pay"));
        String viaProxy2 =
                fp(ex("java.lang.IllegalStateException", null, "com.shop.Svc$$EnhancerBySpringCGLIB$$bb.pay"));
        assertThat(viaProxy1).isEqualTo(viaProxy2);
    }

    @Test
    void rootCauseLeadsTheKeySoAWrappedSqlErrorGroupsByWhatFailed() {
        List<String> components = ErrorFingerprint.components(
                List.of(
                        ex("org.springframework.dao.DataAccessException", "x", "com.shop.Repo.save"),
                        ex("java.sql.SQLException", "y", "org.h2.Driver.exec", "com.shop.Repo.save")),
                APP);
        assertThat(components.get(0)).isEqualTo("type java.sql.SQLException");
    }

    @Test
    void messageCountsOnlyWithoutFramesAndHasIdsMasked() {
        String a = fp(ex("java.lang.IllegalStateException", "order 42 not found for user 'ann'"));
        String b = fp(ex("java.lang.IllegalStateException", "order 7 not found for user 'bob'"));
        String c = fp(ex("java.lang.IllegalStateException", "payment declined"));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(ErrorFingerprint.normalizeMessage("id 3f2b1c9e-0a1b-4c2d-8e9f-001122334455 at 0x7ffe12ab"))
                .isEqualTo("id <id> at <id>");
    }

    @Test
    void deepRecursionGivesOneGroupWhateverTheDepth() {
        List<String> shallow = new ArrayList<>();
        List<String> deep = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            shallow.add("com.shop.Tree.walk");
        }
        for (int i = 0; i < 10_000; i++) {
            deep.add("com.shop.Tree.walk");
        }
        shallow.add("com.shop.Api.get");
        deep.add("com.shop.Api.get");
        assertThat(ErrorFingerprint.of(List.of(new ExceptionInfo("java.lang.StackOverflowError", null, shallow)), APP))
                .isEqualTo(ErrorFingerprint.of(
                        List.of(new ExceptionInfo("java.lang.StackOverflowError", null, deep)), APP));
    }

    @Test
    void causeCyclesAndHostileThrowablesAreSafe() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(ErrorFingerprint.chain(a)).hasSize(2);
        assertThat(ErrorFingerprint.of(a, APP)).matches("[0-9a-f]{16}");

        Throwable hostile = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new IllegalStateException("message is broken");
            }

            @Override
            public synchronized Throwable getCause() {
                throw new IllegalStateException("cause is broken");
            }

            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException("trace is broken");
            }
        };
        assertThat(ErrorFingerprint.chain(hostile)).singleElement().satisfies(e -> {
            assertThat(e.message()).isNull();
            assertThat(e.frames()).isEmpty();
        });
    }

    @Test
    void parsesModulePrefixesCausesMoreAndSuppressedBlocks() {
        String text = "com.shop.PaymentException: declined\n"
                + "\tat app//com.shop.Pay.charge(Pay.java:20)\n"
                + "\tat java.base@17.0.15/java.lang.Thread.run(Thread.java:833)\n"
                + "\tSuppressed: java.io.IOException: close failed\n"
                + "\t\tat com.shop.Pay.close(Pay.java:40)\n"
                + "\t\tCaused by: java.io.EOFException\n"
                + "\t\t\tat com.shop.Pay.read(Pay.java:50)\n"
                + "Caused by: java.net.SocketTimeoutException: Read timed out\n"
                + "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n"
                + "\tat com.shop.Gateway.call(Gateway.java:10)\n"
                + "\t... 2 more\n";
        List<ExceptionInfo> chain = StackTraceText.parse(text);
        assertThat(chain)
                .extracting(ExceptionInfo::type)
                .containsExactly("com.shop.PaymentException", "java.net.SocketTimeoutException");
        assertThat(chain.get(0).frames()).containsExactly("com.shop.Pay.charge", "java.lang.Thread.run");
        assertThat(chain.get(1).frames())
                .containsExactly(
                        "sun.nio.ch.NioSocketImpl.timedRead",
                        "com.shop.Gateway.call",
                        "com.shop.Pay.charge",
                        "java.lang.Thread.run");
        assertThat(chain.get(1).message()).isEqualTo("Read timed out");
    }

    @Test
    void garbageTextYieldsNoChainAndStillAFingerprint() {
        assertThat(StackTraceText.parse("not a stack trace at all")).isEmpty();
        assertThat(StackTraceText.parse(null)).isEmpty();
        assertThat(ErrorFingerprint.ofStackTrace("\u0000\u0001 garbage", APP)).matches("[0-9a-f]{16}");
    }

    @Test
    void inferredPolicyTreatsLibrariesAndJdkAsNotInApp() {
        InAppPolicy inferred = InAppPolicy.inferred();
        assertThat(inferred.isInApp("com.shop.Cart.add")).isTrue();
        assertThat(inferred.isInApp("org.springframework.web.Servlet.service")).isFalse();
        assertThat(inferred.isInApp("java.util.HashMap.get")).isFalse();
        assertThat(inferred.isInApp("dev.vigil.agent.bootstrap.X.run")).isFalse();
    }
}

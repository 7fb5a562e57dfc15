package dev.vigil.agent.businessmetrics;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.vigil.agent.instrumentation.ClassLoaders;
import dev.vigil.agent.instrumentation.methodhooks.HookId;
import dev.vigil.agent.instrumentation.methodhooks.HookTimed;
import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.enumeration.EnumerationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Honours Micrometer's {@code @Timed} and {@code @Counted} and OpenTelemetry's {@code @WithSpan}
 * (with {@code @SpanAttribute} parameters) in the application, with no AOP set up there. Methods are
 * found by annotation name, and each gets a hook number made from its annotation when it is
 * instrumented. Meter names and tags follow Micrometer's {@code TimedAspect} and
 * {@code CountedAspect}: {@code class}, {@code method}, {@code exception}, and {@code result} for
 * counters, plus the annotation's {@code extraTags}.
 */
final class AnnotationHooks {
    private static final AgentLog LOG = AgentLog.get(AnnotationHooks.class);

    // Built at run time: the agent jar relocates string constants that name Micrometer or OpenTelemetry
    // (docs/agent-internals.md), and these must name the application's own classes.
    static final String TIMED = join("io", "micrometer", "core", "annotation", "Timed");
    static final String COUNTED = join("io", "micrometer", "core", "annotation", "Counted");
    static final String WITH_SPAN = join("io", "opentelemetry", "instrumentation", "annotations", "WithSpan");
    static final String SPAN_ATTRIBUTE = join("io", "opentelemetry", "instrumentation", "annotations", "SpanAttribute");

    private final HookTable table;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final int defaultMaxSeries;
    private final int maxTagLength;
    private final Function<Throwable, String> errorCategory;
    /** "kind method-key" → hook number, so retransforming a class reuses its numbers. Guarded by this. */
    private final Map<String, Integer> ids = new HashMap<>();
    /** Metric name and tag names → family, shared by the annotated methods of one metric. Guarded by this. */
    private final Map<String, MetricFamily> families = new HashMap<>();

    AnnotationHooks(
            HookTable table,
            MeterRegistry registry,
            Tracer tracer,
            int defaultMaxSeries,
            int maxTagLength,
            Function<Throwable, String> errorCategory) {
        this.table = table;
        this.registry = registry;
        this.tracer = tracer;
        this.defaultMaxSeries = defaultMaxSeries;
        this.maxTagLength = maxTagLength;
        this.errorCategory = errorCategory;
    }

    private static String join(String... parts) {
        return String.join(".", parts);
    }

    enum Kind {
        TIMED,
        COUNTED,
        WITH_SPAN
    }

    /** Installs the transformer; {@code metrics} for @Timed/@Counted, {@code spans} for @WithSpan (needs a tracer). */
    void install(HookTransformers transformers, boolean metrics, boolean spans) {
        boolean withSpans = spans && tracer != null;
        if (!metrics && !withSpans) {
            return;
        }
        ElementMatcher.Junction<MethodDescription> plain = not(isConstructor())
                .and(not(isTypeInitializer()))
                .and(not(isAbstract()))
                .and(not(isSynthetic()))
                .and(not(isBridge()));
        ElementMatcher.Junction<MethodDescription> timed = plain.and(isAnnotatedWith(named(TIMED))
                .or(isDeclaredBy(isAnnotatedWith(named(TIMED))).and(isPublic()).and(not(isStatic()))));
        ElementMatcher.Junction<MethodDescription> counted = plain.and(isAnnotatedWith(named(COUNTED)));
        ElementMatcher.Junction<MethodDescription> withSpan = plain.and(isAnnotatedWith(named(WITH_SPAN)));

        ElementMatcher.Junction<TypeDescription> types = metrics
                ? declaresMethod(isAnnotatedWith(named(TIMED)).or(isAnnotatedWith(named(COUNTED))))
                        .or(isAnnotatedWith(named(TIMED)))
                : declaresMethod(isAnnotatedWith(named(WITH_SPAN)));
        // Cheap first: only class loaders that can see the annotations get their types matched.
        ElementMatcher<ClassLoader> micrometer = ClassLoaders.hasClasses(TIMED);
        ElementMatcher<ClassLoader> otel = ClassLoaders.hasClasses(WITH_SPAN);
        ElementMatcher<ClassLoader> loaders =
                metrics && withSpans ? l -> micrometer.matches(l) || otel.matches(l) : metrics ? micrometer : otel;
        if (metrics && withSpans) {
            types = types.or(declaresMethod(isAnnotatedWith(named(WITH_SPAN))));
        }
        AgentBuilder.Identified.Extendable builder =
                transformers.base("annotations").type(types, loaders).transform((b, t, l, m, d) -> b);
        if (metrics) {
            builder = builder.transform(advice(transformers, Kind.TIMED, timed, HookTransformers.ADVICE_NO_ARGUMENTS))
                    .transform(advice(transformers, Kind.COUNTED, counted, HookTransformers.ADVICE_NO_ARGUMENTS));
        }
        if (withSpans) {
            builder = builder.transform(
                    advice(transformers, Kind.WITH_SPAN, withSpan, HookTransformers.WITH_SPAN_ADVICE));
        }
        builder.installOn(transformers.instrumentation());
    }

    private AgentBuilder.Transformer advice(
            HookTransformers transformers, Kind kind, ElementMatcher<MethodDescription> methods, String adviceClass) {
        Advice.OffsetMapping idOf = (instrumentedType, instrumentedMethod, assigner, argumentHandler, sort) ->
                new Advice.OffsetMapping.Target.ForStackManipulation(
                        IntegerConstant.forValue(idFor(kind, instrumentedType, instrumentedMethod)));
        return new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping()
                        .bind(HookId.class, idOf)
                        .bind(HookTimed.class, Boolean.valueOf(kind == Kind.TIMED)))
                .include(transformers.agentLoader())
                .withExceptionHandler(transformers.onAdviceFailure())
                .advice(methods, adviceClass);
    }

    /** The hook number of one annotated method, created (and put in force) the first time it is instrumented. */
    synchronized int idFor(Kind kind, TypeDescription type, MethodDescription method) {
        String key = kind + " " + type.getName() + "#" + method.getName() + method.getDescriptor();
        Integer known = ids.get(key);
        if (known != null) {
            return known;
        }
        int id = table.allocate();
        ids.put(key, id);
        try {
            Object entry = kind == Kind.WITH_SPAN ? spanHook(type, method) : meterHook(id, kind, type, method);
            table.update(Collections.emptyList(), Collections.singletonMap(id, entry));
        } catch (RuntimeException e) {
            // an annotation the agent cannot read (a different version's attributes): the method runs unmeasured
            LOG.warnOnce(
                    "annotation:" + key,
                    "cannot read the " + kind + " annotation of " + type.getName() + "#" + method.getName(),
                    e);
        }
        return id;
    }

    private ActiveHook meterHook(int id, Kind kind, TypeDescription type, MethodDescription method) {
        String annotationName = kind == Kind.TIMED ? TIMED : COUNTED;
        AnnotationDescription a = annotation(method.getDeclaredAnnotations(), annotationName);
        if (a == null) {
            a = annotation(type.getDeclaredAnnotations(), annotationName); // @Timed on the class
        }
        String name = string(a, "value");
        if (name == null || name.isEmpty()) {
            name = kind == Kind.TIMED ? "method.timed" : "method.counted";
        }
        HookSpec.Builder b = HookSpec.builder(name, kind == Kind.TIMED ? MeterKind.TIMER : MeterKind.COUNTER)
                .location("@" + (kind == Kind.TIMED ? "Timed" : "Counted") + " on " + type.getName() + "#"
                        + method.getName())
                .tag("class", TagSource.constant(type.getName()))
                .tag("method", TagSource.constant(method.getName()))
                .tag("exception", TagSource.parse("error.type"));
        if (kind == Kind.COUNTED) {
            b.tag("result", TagSource.result());
        }
        String[] extra = strings(a, "extraTags");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            b.tag(extra[i], TagSource.constant(extra[i + 1]));
        }
        String description = string(a, "description");
        if (description != null && !description.isEmpty()) {
            b.description(description);
        }
        if (kind == Kind.TIMED) {
            Object histogram = value(a, "histogram");
            b.histogram(Boolean.TRUE.equals(histogram));
            Object percentiles = value(a, "percentiles");
            if (percentiles instanceof double[] && ((double[]) percentiles).length > 0) {
                b.percentiles((double[]) percentiles);
            }
        }
        HookSpec spec = b.build();
        String familyKey = spec.name() + " " + spec.kind() + " " + spec.tags().keySet();
        MetricFamily family =
                families.computeIfAbsent(familyKey, k -> new MetricFamily(spec, registry, defaultMaxSeries));
        boolean failuresOnly = kind == Kind.COUNTED && Boolean.TRUE.equals(value(a, "recordFailuresOnly"));
        return new ActiveHook(id, spec, family, maxTagLength, errorCategory, registry, failuresOnly);
    }

    private SpanHook spanHook(TypeDescription type, MethodDescription method) {
        AnnotationDescription a = annotation(method.getDeclaredAnnotations(), WITH_SPAN);
        String name = string(a, "value");
        if (name == null || name.isEmpty()) {
            name = type.getSimpleName() + "." + method.getName();
        }
        SpanKind kind = SpanKind.INTERNAL;
        Object k = value(a, "kind");
        if (k instanceof EnumerationDescription) {
            try {
                kind = SpanKind.valueOf(((EnumerationDescription) k).getValue());
            } catch (IllegalArgumentException unknownKind) {
                // a kind this agent does not know: keep INTERNAL
            }
        }
        List<Integer> indexes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ParameterDescription p : method.getParameters()) {
            AnnotationDescription attr = annotation(p.getDeclaredAnnotations(), SPAN_ATTRIBUTE);
            if (attr == null) {
                continue;
            }
            String attrName = string(attr, "value");
            if (attrName == null || attrName.isEmpty()) {
                attrName = p.isNamed() ? p.getName() : null;
            }
            if (attrName == null) {
                LOG.warnOnce(
                        "span-attribute:" + type.getName() + "#" + method.getName() + ":" + p.getIndex(),
                        "@SpanAttribute on parameter " + p.getIndex() + " of " + type.getName() + "#" + method.getName()
                                + " has no name, and the class was compiled without -parameters; it is left out",
                        null);
                continue;
            }
            indexes.add(p.getIndex());
            names.add(attrName);
        }
        int[] idx = new int[indexes.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = indexes.get(i);
        }
        return new SpanHook(tracer, name, kind, idx, names.toArray(new String[0]));
    }

    private static AnnotationDescription annotation(Iterable<AnnotationDescription> annotations, String typeName) {
        for (AnnotationDescription a : annotations) {
            if (a.getAnnotationType().getName().equals(typeName)) {
                return a;
            }
        }
        return null;
    }

    private static Object value(AnnotationDescription a, String property) {
        if (a == null) {
            return null;
        }
        for (MethodDescription.InDefinedShape p : a.getAnnotationType().getDeclaredMethods()) {
            if (p.getName().equals(property)) {
                AnnotationValue<?, ?> v = a.getValue(p);
                return v == null ? null : v.resolve();
            }
        }
        return null; // an attribute this version of the annotation does not have
    }

    private static String string(AnnotationDescription a, String property) {
        Object v = value(a, property);
        return v instanceof String ? (String) v : null;
    }

    private static String[] strings(AnnotationDescription a, String property) {
        Object v = value(a, property);
        return v instanceof String[] ? (String[]) v : new String[0];
    }
}

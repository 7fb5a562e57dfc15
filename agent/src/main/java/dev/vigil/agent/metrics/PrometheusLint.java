package dev.vigil.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.reflect.Method;

/**
 * Keeps the exposition clean for {@code promtool check metrics}: a few Micrometer binder names break
 * Prometheus naming rules, so they are renamed or re-registered here.
 */
final class PrometheusLint {
    private PrometheusLint() {}

    static final MeterFilter FILTER = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            // A gauge may not end in _count (promtool), so not system.cpu.count nor system.cpu.logical.count.
            if ("system.cpu.count".equals(id.getName())) {
                return id.withName("system.cpu.logical");
            }
            return id;
        }

        @Override
        public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
            // Micrometer's process.cpu.time is in nanoseconds ("_ns_total"); re-registered in seconds below.
            if ("process.cpu.time".equals(id.getName()) && "ns".equals(id.getBaseUnit())) {
                return io.micrometer.core.instrument.config.MeterFilterReply.DENY;
            }
            return io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
        }
    };

    /** {@code process_cpu_time_seconds_total}, when the JVM exposes the process CPU time. */
    static void bindProcessCpuSeconds(MeterRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Method cpuTime;
        try {
            Class<?> type = Class.forName("com.sun.management.OperatingSystemMXBean");
            if (!type.isInstance(os)) {
                return;
            }
            cpuTime = type.getMethod("getProcessCpuTime");
        } catch (ReflectiveOperationException e) {
            return;
        }
        FunctionCounter.builder("process.cpu.time", os, bean -> {
                    try {
                        long nanos = (Long) cpuTime.invoke(bean);
                        return nanos < 0 ? Double.NaN : nanos / 1e9;
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .baseUnit("seconds")
                .description("CPU time used by the process")
                .register(registry);
    }
}
